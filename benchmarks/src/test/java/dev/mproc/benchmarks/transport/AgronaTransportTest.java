package dev.mproc.benchmarks.transport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the Agrona transport without Agrona's flag (this JVM has not got it; the
 * smoke test of the Java peers sends messages through it between JVMs that have).
 */
class AgronaTransportTest {
    @Test
    void shouldGiveEveryRingAPowerOfTwoOfAtLeast4MibAndEightTimesItsLargestMessage() {
        assertEquals(4 << 20, AgronaTransport.capacityFor(0));
        assertEquals(4 << 20, AgronaTransport.capacityFor(32));
        assertEquals(4 << 20, AgronaTransport.capacityFor(512 << 10));
        assertEquals(8 << 20, AgronaTransport.capacityFor((512 << 10) + 1));
        assertEquals(8 << 20, AgronaTransport.capacityFor(1 << 20), "Agrona takes up to capacity / 8");
        assertEquals(16 << 20, AgronaTransport.capacityFor((1 << 20) + 1));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AgronaTransport.capacityFor(-1));
        assertTrue(e.getMessage().contains("maxMessageBytes=-1"), e.getMessage());
    }

    @Test
    void shouldNameBothRingsAndAskForTheExportUnsafeBufferNeeds() {
        final AgronaTransport oneToOne = AgronaTransport.oneToOneRing();
        final AgronaTransport manyToOne = AgronaTransport.manyToOneRing();
        assertEquals("agrona", oneToOne.id());
        assertEquals("agrona-m2o", manyToOne.id());
        assertFalse(oneToOne.manyToOne());
        assertTrue(manyToOne.manyToOne());
        assertEquals(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"), oneToOne.jvmOptions());
        assertEquals(oneToOne.jvmOptions(), manyToOne.jvmOptions());
        assertFalse(oneToOne.jvmOptions().stream().anyMatch(o -> o.contains("agrona.disable.bounds.checks")));
    }
}
