package dev.mproc.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lock-contended's exactness check, with its two sides as two threads of this JVM (the suite runs
 * them as two JVMs; the smoke test covers that): a run whose counter does not add up must fail
 * both sides rather than report a rate.
 */
class LockContendedTest {
    /** lock-contended's guarded counter: body offset 0 of the data region (see its layout). */
    private static final long COUNTER = 0;
    private static final int RUNS = 2;
    private static final long ITERATIONS = 5_000;

    /** What one side printed, or how it failed. */
    private record Outcome(String output, Throwable failure) {
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRecordEveryFigureFromSideAWhenEveryIncrementIsThere() throws Exception {
        final List<Outcome> outcomes = runBothSides(0);

        assertNull(outcomes.get(0).failure(), () -> "side A failed: " + outcomes.get(0).failure());
        assertNull(outcomes.get(1).failure(), () -> "side B failed: " + outcomes.get(1).failure());
        final Workload workload = Workloads.byName("lock-contended");
        for (final Figure figure : workload.figures()) {
            for (int run = 0; run < RUNS; run++) {
                final String prefix = SideContext.FIGURE_LINE + " " + run + " ";
                final String suffix = " " + figure.name();
                assertTrue(outcomes.get(0).output().lines().anyMatch(l -> l.startsWith(prefix) && l.endsWith(suffix)),
                    figure.name() + " run " + run + " missing from side A:\n" + outcomes.get(0).output());
            }
        }
        assertFalse(outcomes.get(1).output().contains(SideContext.FIGURE_LINE), "side B records nothing");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailBothSidesWhenTheCounterDoesNotAddUp() throws Exception {
        // Seven increments nobody made: what a lock letting two holders in would look like, reversed.
        final List<Outcome> outcomes = runBothSides(7);

        for (final Outcome outcome : outcomes) {
            assertInstanceOf(IllegalStateException.class, outcome.failure(), String.valueOf(outcome.failure()));
            assertTrue(outcome.failure().getMessage().contains("counter=" + (2 * ITERATIONS + 7)),
                outcome.failure().getMessage());
            assertEquals("", outcome.output(), "a failed side reports no figure");
        }
    }

    private static List<Outcome> runBothSides(final long presetCounter) throws Exception {
        final Workload workload = Workloads.byName("lock-contended");
        try (Namespace namespace = Namespace.createPrivate();
             MappedRegion data = namespace.createRegion(SideMain.DATA_REGION, SideMain.KIND, SideMain.LAYOUT_VERSION,
                 workload.regionBytes(), r -> { })) {
            data.putLongVolatile(COUNTER, presetCounter);
            final Outcome[] outcomes = new Outcome[2];
            final List<Thread> sides = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                final int me = side;
                final SideContext context = new SideContext(me, 2, 1, RUNS, ITERATIONS, true, data, namespace);
                sides.add(Thread.ofPlatform().daemon().name("side-" + me).start(() -> {
                    try {
                        workload.runSide(context);
                        final ByteArrayOutputStream out = new ByteArrayOutputStream();
                        context.flush(new PrintStream(out, true, StandardCharsets.UTF_8));
                        outcomes[me] = new Outcome(out.toString(StandardCharsets.UTF_8), null);
                    } catch (final Throwable t) {
                        outcomes[me] = new Outcome("", t);
                    }
                }));
            }
            for (final Thread side : sides) {
                // The @Timeout bounds this; a side stuck at the run barrier would leave the test failing there.
                side.join();
            }
            // join() makes each side's outcome visible here.
            return List.of(outcomes);
        }
    }
}
