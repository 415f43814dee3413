package dev.mproc.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

/**
 * Runs every side of a workload as a thread of the test's JVM on a namespace and data region the
 * test made (the suite runs them as JVMs; the smoke test covers that), so that a test can set
 * things up before the sides start and see how each side ended.
 */
final class ThreadSides {
    /** What one side printed, or how it failed. */
    record Outcome(String output, Throwable failure) {
        /** @return the figure lines of one figure, in run order */
        List<String> figureLines(final String figure) {
            return output.lines()
                .filter(l -> l.startsWith(SideContext.FIGURE_LINE + " ") && l.endsWith(" " + figure))
                .toList();
        }
    }

    private ThreadSides() {
    }

    /**
     * @param workload   the workload
     * @param namespace  its namespace, where the test may already have made objects
     * @param data       its data region
     * @param runs       measured runs (one warm-up run goes first)
     * @param iterations iterations per run
     * @return each side's outcome, side A first; the caller's timeout bounds the wait
     */
    static List<Outcome> run(
        final Workload workload, final Namespace namespace, final MappedRegion data, final int runs,
        final long iterations) throws InterruptedException {
        final Outcome[] outcomes = new Outcome[workload.sides()];
        final List<Thread> sides = new ArrayList<>();
        for (int side = 0; side < workload.sides(); side++) {
            final int me = side;
            final SideContext context = new SideContext(me, workload.sides(), 1, runs, iterations, true, data, namespace);
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
            side.join();
        }
        // join() makes each side's outcome visible here.
        return List.of(outcomes);
    }

    /**
     * @param workload  the workload
     * @param namespace where its data region goes
     * @return the zeroed data region the harness would make
     */
    static MappedRegion dataRegion(final Workload workload, final Namespace namespace) {
        return namespace.createRegion(SideMain.DATA_REGION, SideMain.KIND, SideMain.LAYOUT_VERSION,
            workload.regionBytes(), r -> { });
    }
}
