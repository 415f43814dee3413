package dev.mproc.tests.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Barrier;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import dev.mproc.tests.TestRegions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A barrier of three parties, one per JVM, over {@value #GENERATIONS} generations: in each, the
 * three arrival indices are exactly {0, 1, 2} (no two parties counted in the same slot, none
 * released in the wrong generation), and what each party wrote before {@code await} is seen by
 * the others after it (see {@link BarrierChild} for how a stale read shows).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class BarrierAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(60);
    private static final int GENERATIONS = 2_000;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = SharedRoot.createPrivateNamespace();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldGiveEachGenerationTheIndicesZeroToTwoAndPublishEarlierWritesAcrossJvms() {
        final List<ChildJvm> children = new ArrayList<>();
        try (MappedRegion data = namespace.createRegion("data", TestRegions.KIND, TestRegions.VERSION,
                BarrierChild.length(GENERATIONS), r -> { });
             Barrier barrier = Barrier.create(namespace, "barrier", BarrierChild.PARTIES)) {
            for (int party = 0; party < BarrierChild.PARTIES; party++) {
                children.add(ChildJvm.start(BarrierChild.class, namespace.directory().toString(), Integer.toString(party),
                    Integer.toString(GENERATIONS)));
            }
            for (final ChildJvm child : children) {
                child.awaitLine("READY", STARTUP);
            }
            data.putLongRelease(BarrierChild.GO, 1);

            for (final ChildJvm child : children) {
                assertEquals("0 -", child.awaitLine("DONE", WORK), child.describe("read a stale write after the barrier"));
                assertEquals(0, child.waitFor(WORK), child.describe("failed"));
            }

            // Every child has exited: all indices are written.
            final int[] expected = new int[BarrierChild.PARTIES];
            Arrays.setAll(expected, i -> i);
            for (int g = 0; g < GENERATIONS; g++) {
                final int[] indices = new int[BarrierChild.PARTIES];
                for (int party = 0; party < BarrierChild.PARTIES; party++) {
                    indices[party] = data.getInt(BarrierChild.index(g, party));
                }
                final int[] sorted = indices.clone();
                Arrays.sort(sorted);
                if (!Arrays.equals(expected, sorted)) {
                    assertArrayEquals(expected, sorted, "generation " + g + ": indices by party " + Arrays.toString(indices));
                }
            }
            assertFalse(barrier.isBroken(), barrier.toString());
            assertEquals(0, barrier.getNumberWaiting(), barrier.toString());
        } finally {
            children.forEach(ChildJvm::close);
        }
    }
}
