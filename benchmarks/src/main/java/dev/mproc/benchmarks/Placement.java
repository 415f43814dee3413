package dev.mproc.benchmarks;

import java.util.List;

/**
 * Where the sides' JVMs run: side A on CPU 0, side B on CPU 1, as the C limit programs pin their
 * two processes, when {@code taskset} exists and there are at least two CPUs; a workload with more
 * sides places the others itself ({@link Workload#cpuOf}).
 * <p>
 * {@code taskset} pins the whole JVM, its JIT compiler and GC threads included. That is the closest
 * match to the single-threaded C programs; the measured loops allocate nothing, so the GC stays
 * idle, and the JIT has finished before the warm-up runs end.
 */
final class Placement {
    private final boolean pinned;
    private final String taskset;
    private final String reason;

    private Placement(final boolean pinned, final String taskset, final String reason) {
        this.pinned = pinned;
        this.taskset = taskset;
        this.reason = reason;
    }

    /**
     * @param wanted false when the user turned pinning off
     * @return pinned placement if possible, otherwise unpinned with the reason
     */
    static Placement detect(final boolean wanted) {
        if (!wanted) {
            return new Placement(false, null, "pinning turned off (-Dbench.pin=false)");
        }
        final int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) {
            return new Placement(false, null, "only " + cpus + " CPU available");
        }
        return Executables.find("taskset")
            .map(path -> new Placement(true, path.toString(), null))
            .orElseGet(() -> new Placement(false, null, "taskset not found on PATH"));
    }

    boolean pinned() {
        return pinned;
    }

    /**
     * @param workload the workload
     * @param side     0 for A, 1 for B, ...
     * @return the CPU the side runs on ({@link Workload#cpuOf}), or -1 when not pinned
     */
    int cpuOf(final Workload workload, final int side) {
        if (!pinned) {
            return -1;
        }
        final int cpus = Runtime.getRuntime().availableProcessors();
        final int cpu = workload.cpuOf(side, cpus);
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalStateException(workload.name() + " placed side " + side + " on CPU " + cpu
                + " but there are " + cpus);
        }
        return cpu;
    }

    /**
     * @param workload the workload
     * @param side     0 for A, 1 for B, ...
     * @return what goes before the java command: {@code taskset -c <cpu>}, or nothing
     */
    List<String> commandPrefix(final Workload workload, final int side) {
        return pinned ? List.of(taskset, "-c", Integer.toString(cpuOf(workload, side))) : List.of();
    }

    /**
     * @param workload the workload
     * @return a line for the report
     */
    String describe(final Workload workload) {
        if (!pinned) {
            return "not pinned (" + reason + "): the scheduler places the sides";
        }
        final StringBuilder sb = new StringBuilder();
        for (int side = 0; side < workload.sides(); side++) {
            sb.append(side == 0 ? "" : ", ").append("side ").append((char) ('A' + side)).append(" on CPU ")
                .append(cpuOf(workload, side));
        }
        return sb.append(" (taskset -c, whole JVM)").toString();
    }

    /**
     * @return a line for the report's header
     */
    String describe() {
        if (!pinned) {
            return "not pinned (" + reason + ")";
        }
        return "side A pinned to CPU 0 and side B to CPU 1 with `taskset -c` (the whole JVM, its JIT and GC "
            + "threads included), like the C programs (parent CPU 0, child CPU 1); one-sided workloads run on CPU 0; "
            + "workloads with more sides say where each runs";
    }
}
