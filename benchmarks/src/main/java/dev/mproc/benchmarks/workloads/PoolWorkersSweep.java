package dev.mproc.benchmarks.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.process.Pool;

/**
 * {@code Pool.map} of trivial tasks (x -> x + 1, default chunking) as workers are added: one pool
 * each of 1 to {@value #MAX_WORKERS} worker JVMs, started before the runs (start-up is
 * {@code pool-startup}'s figure), each mapping the same items in every run. The driver and every
 * worker may use every CPU; on 2 CPUs the driver and two workers already fill the machine, so more
 * workers only add time-slicing.
 */
public final class PoolWorkersSweep implements Workload {
    static final int MAX_WORKERS = 4;

    private final List<Figure> figures;

    /** The one instance the registry holds. */
    public PoolWorkersSweep() {
        final List<Figure> list = new ArrayList<>();
        for (int n = 1; n <= MAX_WORKERS; n++) {
            list.add(Figure.of(figureOf(n), "M tasks/s", Better.HIGHER, ""));
        }
        this.figures = List.copyOf(list);
    }

    /**
     * @param workers how many
     * @return "1 worker", "2 workers", ...
     */
    public static String figureOf(final int workers) {
        return workers + (workers == 1 ? " worker" : " workers");
    }

    @Override
    public String name() {
        return "pool-workers";
    }

    @Override
    public String title() {
        return "Pool(n).map of trivial tasks (x -> x + 1) with default chunking for n = 1 to " + MAX_WORKERS
            + " workers, pools started before the runs; driver and workers may use every CPU (2 here: past two "
            + "workers the CPUs have run out).";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 2_000 : 1_000_000;
    }

    @Override
    public String iterationUnit() {
        return "tasks per pool";
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        context.note(AllCpus.widen());
        final List<Integer> items = IntStream.range(0, Math.toIntExact(context.iterations())).boxed().toList();
        final List<Pool> pools = new ArrayList<>();
        try (Mproc mp = Mproc.attach(context.namespace().directory())) {
            try {
                for (int n = 1; n <= MAX_WORKERS; n++) {
                    pools.add(mp.pool(n));
                }
                for (int run = -context.warmups(); run < context.runs(); run++) {
                    for (int n = 1; n <= MAX_WORKERS; n++) {
                        final long start = System.nanoTime();
                        final List<Integer> results = pools.get(n - 1).map(TrivialTasks.INCREMENT, items);
                        final long nanos = System.nanoTime() - start;
                        check(items, results, n, run);
                        if (run >= 0) {
                            context.record(run, figureOf(n), items.size() * 1e3 / nanos);
                        }
                    }
                }
            } finally {
                for (final Pool pool : pools) {
                    pool.close();
                }
            }
        }
    }

    private static void check(final List<Integer> items, final List<Integer> results, final int workers,
                              final int run) {
        if (results.size() != items.size()) {
            throw new IllegalStateException(results.size() + " results for " + items.size() + " items (" + workers
                + " workers, run " + run + ")");
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) != items.get(i) + 1) {
                throw new IllegalStateException("result " + i + " is " + results.get(i) + ", expected "
                    + (items.get(i) + 1) + " (" + workers + " workers, run " + run + ")");
            }
        }
    }
}
