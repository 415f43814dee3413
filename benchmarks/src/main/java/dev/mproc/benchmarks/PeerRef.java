package dev.mproc.benchmarks;

import java.util.Objects;

/**
 * The peer figure a figure of ours is compared against: which peer program, which of its figures,
 * and how to name it in the report.
 *
 * @param source the peer's id: {@link #C_LIMITS}, {@link #CPYTHON}, or a Java peer measured by the
 *               harness in the same run ({@link #UDS}, {@link #AGRONA}, {@link #CHRONICLE})
 * @param key    the figure's key in that peer's parsed output, e.g.
 *               {@code pingpong_spin.spin_rtt_mode_2lines_pause_1.p50} (the report's appendix lists
 *               every key a peer produced) or {@code pipe_pingpong_rtt_median}
 * @param label  what the report calls it
 */
public record PeerRef(String source, String key, String label) {
    /** The C programs of {@code shared/limits/run.sh}: what this machine allows. */
    public static final String C_LIMITS = "c-limits";
    /** CPython's {@code multiprocessing}: {@code shared/baselines/python_mp_baseline.py}. */
    public static final String CPYTHON = "cpython";
    /** Java's Unix-domain {@code SocketChannel} between two JVMs, measured by our own harness. */
    public static final String UDS = "uds";
    /** Agrona's {@code OneToOneRingBuffer} / {@code ManyToOneRingBuffer} over a mapped file. */
    public static final String AGRONA = "agrona";
    /** Chronicle Queue, appender and tailer in two JVMs. */
    public static final String CHRONICLE = "chronicle";

    /**
     * Checks the parts.
     *
     * @param source the peer's id
     * @param key    the figure's key in the peer's output
     * @param label  the name in the report
     */
    public PeerRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
    }

    /**
     * @param key   a key of {@link LimitsOutput}
     * @param label the name in the report
     * @return a reference to a C limit figure
     */
    public static PeerRef cLimit(final String key, final String label) {
        return new PeerRef(C_LIMITS, key, label);
    }

    /**
     * @param key   a figure name printed by the CPython baseline
     * @param label the name in the report
     * @return a reference to a CPython figure
     */
    public static PeerRef cpython(final String key, final String label) {
        return new PeerRef(CPYTHON, key, label);
    }

    /**
     * @param source   a Java peer's id
     * @param workload the name of the peer's workload in this suite
     * @param figure   the name of that workload's figure
     * @param label    the name in the report
     * @return a reference to a figure the harness measured for a Java peer in this run
     */
    public static PeerRef measured(final String source, final String workload, final String figure,
                                   final String label) {
        return new PeerRef(source, measuredKey(workload, figure), label);
    }

    /**
     * @param workload a workload's name
     * @param figure   one of its figures
     * @return the key under which a Java peer's run holds that figure
     */
    public static String measuredKey(final String workload, final String figure) {
        return workload + "/" + figure;
    }
}
