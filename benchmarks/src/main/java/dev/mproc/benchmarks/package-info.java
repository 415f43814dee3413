/**
 * The cross-process benchmark harness: {@link dev.mproc.benchmarks.Suite} runs every
 * {@link dev.mproc.benchmarks.Workload} in real child JVMs, runs the peers (the C limits of this
 * machine, CPython's {@code multiprocessing}) in the same session, and writes a markdown table in
 * which every figure stands next to its peer, as a ratio.
 * <p>
 * Why peers in the same run: this machine's speed drifts from run to run, so only figures measured
 * side by side are comparable.
 */
package dev.mproc.benchmarks;
