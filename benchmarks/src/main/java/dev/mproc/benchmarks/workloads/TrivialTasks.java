package dev.mproc.benchmarks.workloads;

import dev.mproc.core.SerializableCallable;
import dev.mproc.core.SerializableFunction;
import dev.mproc.core.SerializableRunnable;

/**
 * The tasks the process and pool workloads send to other JVMs, as CPython's baseline sends
 * {@code noop} and {@code trivial}.
 * <p>
 * Why a class of their own: a serialised lambda is rebuilt in the receiving JVM by the class that
 * wrote it, which that JVM then loads and initialises. Here that is this small class alone, not a
 * workload with its figures, so a child's start-up pays for nothing the measurement is not about.
 */
final class TrivialTasks {
    /** Python's {@code noop}: the target of a process that only starts and exits. */
    static final SerializableRunnable NOTHING = () -> { };

    /** The first task of a new pool: its result proves a worker ran it. */
    static final SerializableCallable<Integer> ONE = () -> 1;

    /** The mapped function: one boxed int in, one out (Python's {@code trivial} returns its argument). */
    static final SerializableFunction<Integer, Integer> INCREMENT = x -> x + 1;

    /** Which JVM ran the task; the item is ignored. */
    static final SerializableFunction<Integer, Long> WORKER_PID = x -> ProcessHandle.current().pid();

    private TrivialTasks() {
    }
}
