/**
 * The cross-process benchmark harness.
 */
package dev.mproc.benchmarks;
