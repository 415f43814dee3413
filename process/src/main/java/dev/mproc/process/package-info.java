/**
 * The process layer, Python's {@code multiprocessing.Process} and {@code Pool} in Java:
 * {@link dev.mproc.process.Process} runs a {@code SerializableRunnable} in a fresh JVM;
 * {@link dev.mproc.process.Pool} keeps worker JVMs and hands them tasks through shared-memory
 * rings. Both are normally obtained from {@link dev.mproc.Mproc}.
 */
package dev.mproc.process;
