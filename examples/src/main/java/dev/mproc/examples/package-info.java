/**
 * Runnable examples and the demo: Python multiprocessing tutorial programs written with mproc, and
 * {@link dev.mproc.examples.Demo}, which runs them all.
 */
package dev.mproc.examples;
