package dev.mproc.benchmarks.jmh;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What taking and releasing a lock costs when nobody else wants it: mproc's cross-process
 * {@link Lock} (by {@code lock()} and by {@code tryLock()}) and {@link RLock}, beside the
 * in-process locks a Java programmer would otherwise reach for, {@link ReentrantLock} and a
 * {@code synchronized} block.
 *
 * <p>Why: most lock operations in real programs are uncontended, so this is the price a program
 * pays for making its lock visible to other processes (recording the holder's identity so that a
 * dead holder can be detected) on every critical section, not only when processes collide. The
 * contended, cross-process figure is the harness's {@code lock-contended} workload.
 *
 * <p>Every critical section increments the same counter, so that each lock guards real work and
 * the JIT cannot treat a block as empty; the counter also lets a test see that each section ran.
 *
 * <p>Not final, like every JMH benchmark and state class: JMH's generated code extends it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LockBenchmark {

    Namespace namespace;
    private Lock lock;
    private RLock rlock;
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Object monitor = new Object();
    long counter;

    /** Creates the namespace and the two mproc locks in it. */
    @Setup(Level.Trial)
    public void setUp() {
        namespace = Namespace.createPrivate();
        lock = Lock.create(namespace);
        rlock = RLock.create(namespace);
    }

    /** Unmaps the locks and deletes the namespace with their files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (lock != null) {
            lock.close();
        }
        if (rlock != null) {
            rlock.close();
        }
        namespace.close();
    }

    /** mproc {@link Lock#lock()} then {@link Lock#unlock()}. */
    @Benchmark
    public void mprocLock() {
        lock.lock();
        try {
            counter++;
        } finally {
            lock.unlock();
        }
    }

    /** mproc {@link Lock#tryLock()} then {@link Lock#unlock()}; the lock is always free here. */
    @Benchmark
    public void mprocLockTryLock() {
        if (!lock.tryLock()) {
            throw new IllegalStateException("an uncontended tryLock failed: " + lock);
        }
        try {
            counter++;
        } finally {
            lock.unlock();
        }
    }

    /** mproc {@link RLock#lock()} then {@link RLock#unlock()}, hold count 0 to 1 and back. */
    @Benchmark
    public void mprocRLock() {
        rlock.lock();
        try {
            counter++;
        } finally {
            rlock.unlock();
        }
    }

    /** The in-process reference: {@link ReentrantLock#lock()} then {@link ReentrantLock#unlock()}. */
    @Benchmark
    public void jucReentrantLock() {
        reentrantLock.lock();
        try {
            counter++;
        } finally {
            reentrantLock.unlock();
        }
    }

    /** The in-process reference built into the language: a {@code synchronized} block. */
    @Benchmark
    public void jvmSynchronized() {
        synchronized (monitor) {
            counter++;
        }
    }

    /** @return whether any of the locks is held, for a test to check that every section released */
    boolean anyHeld() {
        return lock.isLocked() || rlock.isLocked() || reentrantLock.isLocked() || Thread.holdsLock(monitor);
    }
}
