package dev.mproc.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunStatsTest {
    @Test
    void shouldTakeTheMiddleOfAnOddCount() {
        assertEquals(new RunStats(3, 1, 9, 5), RunStats.of(new double[] {9, 1, 3, 2, 4}));
    }

    @Test
    void shouldAverageTheMiddleTwoOfAnEvenCount() {
        assertEquals(new RunStats(2.5, 1, 4, 4), RunStats.of(new double[] {4, 1, 3, 2}));
    }

    @Test
    void shouldIgnoreRunsWithoutAValue() {
        assertEquals(new RunStats(5, 5, 5, 1), RunStats.of(new double[] {Double.NaN, 5, Double.NaN}));
        assertNull(RunStats.of(new double[] {Double.NaN, Double.NaN}));
        assertNull(RunStats.of(new double[0]));
    }
}
