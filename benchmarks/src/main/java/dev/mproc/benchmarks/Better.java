package dev.mproc.benchmarks;

/**
 * Which way a figure improves; it decides how the ratio to a peer is stated, so that a ratio above
 * 1 always means "mproc is better".
 */
public enum Better {
    /** Rates: the ratio is ours / peer's. */
    HIGHER,
    /** Times: the ratio is peer's / ours. */
    LOWER,
    /** Informational figures (counts, percentages of a behaviour): no ratio, no sign check. */
    NEITHER
}
