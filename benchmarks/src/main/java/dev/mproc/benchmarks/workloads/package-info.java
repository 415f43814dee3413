/**
 * The workloads the suite measures; each is one {@link dev.mproc.benchmarks.Workload} listed in
 * {@link dev.mproc.benchmarks.Workloads}.
 */
package dev.mproc.benchmarks.workloads;
