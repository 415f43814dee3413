package dev.mproc.benchmarks;

import java.util.List;

/**
 * One benchmark: what it measures, the figures it produces, and the code each of its processes
 * runs. Adding a workload means implementing this and listing it in {@link Workloads}.
 * <p>
 * The harness ({@link WorkloadRunner}) creates a private namespace holding a zeroed region of
 * {@link #regionBytes()} for the workload, starts {@link #sides()} child JVMs (side 0 is "A",
 * side 1 is "B", each pinned to its own CPU when possible), lets them meet at a start barrier, and
 * calls {@link #runSide} in each. A side runs {@link SideContext#warmups()} warm-up runs and then
 * {@link SideContext#runs()} measured runs of {@link SideContext#iterations()} iterations each,
 * all in the same JVMs, and records each measured run's figures with
 * {@link SideContext#record}. Every figure listed by {@link #figures()} should be recorded by
 * exactly one side in every measured run.
 */
public interface Workload {

    /**
     * @return the short name used on the command line ({@code -Dbench.only=...}) and in the report
     */
    String name();

    /**
     * @return one sentence saying what is measured and how
     */
    String title();

    /**
     * @return how many child JVMs take part: 1 (in-process figures), 2 (side A and side B), or
     *         more (sides A, B, C, ...: several producer processes, say)
     */
    int sides();

    /**
     * Where a side runs when the harness pins sides to CPUs. The default puts side A on CPU 0 and
     * side B on CPU 1, as the C programs pin their two processes, and any further side on the
     * next CPU round-robin; a workload with more sides than CPUs may group them otherwise (all
     * producers beside each other, away from their one consumer).
     *
     * @param side 0 for A, 1 for B, ...
     * @param cpus CPUs this machine has (at least 2 when the harness pins)
     * @return the CPU, 0 ... cpus-1
     */
    default int cpuOf(final int side, final int cpus) {
        return side % cpus;
    }

    /**
     * @return options the sides' JVMs need beyond the harness's own, e.g. a peer library's
     *         {@code --add-exports} (only Java peers' workloads have any)
     */
    default List<String> jvmOptions() {
        return List.of();
    }

    /**
     * @return the Java peer this workload measures ({@link PeerRef#UDS}, ...), or null when it
     *         measures mproc; a peer's figures become that peer's column beside ours
     */
    default String peerSource() {
        return null;
    }

    /**
     * @return the body length of the shared region the sides work on
     */
    default long regionBytes() {
        return 4096;
    }

    /**
     * @param smoke true in smoke mode, where only "it works" matters
     * @return iterations in one run (warm-up or measured), before the suite's scale factor
     */
    long iterations(boolean smoke);

    /**
     * @return what one iteration is, for the report: "round trips", "operations of each kind"
     */
    String iterationUnit();

    /**
     * @return the figures every measured run produces, in report order
     */
    List<Figure> figures();

    /**
     * Runs one side, inside a child JVM.
     *
     * @param context the side's region, settings and recorder
     * @throws Exception on failure: the child exits non-zero and the report shows the workload failed
     */
    void runSide(SideContext context) throws Exception;
}
