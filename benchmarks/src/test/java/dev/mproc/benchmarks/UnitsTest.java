package dev.mproc.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitsTest {
    private static final double EPS = 1e-9;

    @Test
    void shouldConvertTimes() {
        assertEquals(43_230.0, Units.convert(43.23, "us", "ns"), EPS);
        assertEquals(0.295385, Units.convert(295.385, "ns", "us"), EPS);
        assertEquals(7.35, Units.convert(7.35, "ns/op", "ns"), EPS);
        assertEquals(2.0, Units.convert(2000, "us", "ms"), EPS);
    }

    @Test
    void shouldTurnTimePerOperationIntoARateAndBack() {
        assertEquals(125.0, Units.convert(8.0, "ns/op", "M ops/s"), EPS);
        assertEquals(8.0, Units.convert(125.0, "M ops/s", "ns/op"), EPS);
        assertEquals(40.0, Units.convert(25_000_000, "pairs/s", "ns/op"), EPS);
        assertEquals(0.5, Units.convert(500_000, "msgs/s", "M msgs/s"), EPS);
    }

    @Test
    void shouldConvertByteRates() {
        assertEquals(1491.35 / 1000, Units.convert(1491.35, "MB/s", "GB/s"), EPS);
    }

    @Test
    void shouldRefuseUnitsOfDifferentThings() {
        assertThrows(IllegalArgumentException.class, () -> Units.convert(1, "GB/s", "ns"));
        assertThrows(IllegalArgumentException.class, () -> Units.convert(1, "furlongs", "ns"));
        assertFalse(Units.convertible("% of round trips", "ns"));
        assertTrue(Units.convertible("% of round trips", "% of round trips"));
    }
}
