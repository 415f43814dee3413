package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * A condition variable shared by processes, bound to a {@link Lock} or {@link RLock}: Python's
 * {@code multiprocessing.Condition}, as a {@link java.util.concurrent.locks.Condition}, plus
 * {@link #awaitFor(BooleanSupplier, long, TimeUnit)} (Python's {@code wait_for}).
 * <p>
 * Every method must be called by a thread holding the associated lock
 * ({@link IllegalMonitorStateException} otherwise). {@code await} releases the lock (all holds of
 * an {@link RLock}), waits for a signal, and takes the lock back before returning, also on
 * timeout and interrupt. {@link #signal()} wakes the longest-waiting thread, whichever process it
 * is in; {@link #signalAll()} wakes every thread waiting at that moment. A thread that starts
 * waiting after a signal is never woken by it. At most 1,024 threads can wait on one condition at
 * once ({@link IllegalStateException} beyond).
 * <p>
 * A waiting thread whose process dies keeps its place in the queue: a later {@code signal()} may
 * go to it and be lost. Use {@code signalAll()}, or predicates with timeouts, where waiters may
 * die.
 * <p>
 * Memory consistency effects: as for the associated lock. Actions before {@code signal} or
 * {@code signalAll} (made while holding the lock) happen-before the return from {@code await} of
 * a thread woken by them, because that thread takes the lock back before returning.
 */
/*
 * Algorithm: a ticket queue in shared memory. Under the lock, a waiter takes ticket t (Tickets++)
 * and marks its state waiting; it releases the lock and waits until Signalled - t > 0. Under the
 * lock, signal() advances Signalled past cancelled tickets to the first waiting one; signalAll()
 * sets Signalled = Tickets. All waiters sleep on the Signalled futex word and are all woken by a
 * change (the one whose ticket came up continues, the others sleep again), because FUTEX_WAKE
 * cannot pick a particular sleeper. A waiter that times out or is interrupted takes the lock back
 * and then, if its ticket was not signalled meanwhile, marks it cancelled; if it was, it counts
 * as signalled (the signal is not lost).
 */
public final class Condition implements java.util.concurrent.locks.Condition, AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a condition file. */
    public static final RegionKind KIND = RegionKind.of("COND");

    private final String file;
    private final transient java.util.concurrent.locks.Lock lock;
    private final transient MappedRegion region;
    private final transient WaitWord signalled;
    private final transient WaitStrategy strategy;

    private Condition(final MappedRegion region, final java.util.concurrent.locks.Lock lock) {
        this.file = region.file().toString();
        this.lock = lock;
        this.region = region;
        this.signalled = new WaitWord(region.segment(), ConditionLayout.SIGNALLED_OFFSET,
            ConditionLayout.SLEEPERS_OFFSET, Futex.system());
        this.strategy = WaitStrategies.defaultStrategy();
    }

    /**
     * @param namespace where the condition file goes
     * @return a new condition with its own new {@link RLock} (as Python's {@code Condition()})
     */
    public static Condition create(final Namespace namespace) {
        return create(namespace, RLock.create(namespace));
    }

    /**
     * @param namespace where the condition file goes
     * @param lock      the {@link Lock} or {@link RLock} it is bound to
     * @return a new condition with a generated name
     */
    public static Condition create(final Namespace namespace, final java.util.concurrent.locks.Lock lock) {
        return create(namespace, namespace.uniqueName("condition"), lock);
    }

    /**
     * @param namespace where the condition file goes
     * @param name      the condition's name in the namespace
     * @param lock      the {@link Lock} or {@link RLock} it is bound to, if it is created; a
     *                  process attaching to an existing condition gets the lock it was made with
     * @return the condition of that name, created if absent
     */
    public static Condition create(final Namespace namespace, final String name,
                                   final java.util.concurrent.locks.Lock lock) {
        final Path lockFile = lockFile(lock);
        final byte[] path = lockFile.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length > ConditionLayout.MAX_LOCK_PATH_BYTES) {
            throw new IllegalArgumentException("lock path too long: length=" + path.length
                + " maxLength=" + ConditionLayout.MAX_LOCK_PATH_BYTES);
        }
        final int lockKind = (lock instanceof RLock ? RLock.KIND : Lock.KIND).code();
        final MappedRegion region = namespace.createOrAttachRegion(name, KIND, ConditionLayout.LAYOUT_VERSION,
            ConditionLayout.LENGTH, r -> {
                r.putInt(ConditionLayout.LOCK_KIND_OFFSET, lockKind);
                r.putInt(ConditionLayout.LOCK_PATH_LENGTH_OFFSET, path.length);
                MemorySegment.copy(path, 0, r.segment(), ValueLayout.JAVA_BYTE, ConditionLayout.LOCK_PATH_OFFSET,
                    path.length);
            });
        return new Condition(region, attachedLock(region, lock));
    }

    /**
     * @param file a condition file
     * @return a handle on that condition, bound to the lock it was created with
     */
    public static Condition attach(final Path file) {
        final MappedRegion region = MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            ConditionLayout.LAYOUT_VERSION);
        return new Condition(region, attachedLock(region, null));
    }

    private static Path lockFile(final java.util.concurrent.locks.Lock lock) {
        if (lock instanceof OwnedLock owned) {
            return owned.file();
        }
        throw new IllegalArgumentException("a cross-process Condition needs an mproc Lock or RLock, not "
            + (lock == null ? "null" : lock.getClass().getName()));
    }

    /** The lock recorded in the region; the given one if it is that lock. */
    private static java.util.concurrent.locks.Lock attachedLock(
        final MappedRegion region,
        final java.util.concurrent.locks.Lock given) {
        final int length = region.getInt(ConditionLayout.LOCK_PATH_LENGTH_OFFSET);
        if (length <= 0 || length > ConditionLayout.MAX_LOCK_PATH_BYTES) {
            throw new IllegalStateException(region.file() + ": corrupt lock path length " + length);
        }
        final byte[] bytes = region.segment().asSlice(ConditionLayout.LOCK_PATH_OFFSET, length)
            .toArray(ValueLayout.JAVA_BYTE);
        final Path lockFile = Path.of(new String(bytes, StandardCharsets.UTF_8));
        if (given != null && lockFile(given).equals(lockFile)) {
            return given;
        }
        final int kind = region.getInt(ConditionLayout.LOCK_KIND_OFFSET);
        return kind == RLock.KIND.code() ? RLock.attach(lockFile) : Lock.attach(lockFile);
    }

    private RobustMutex mutex() {
        return ((OwnedLock) lock).mutex();
    }

    /**
     * @return the lock this condition is bound to
     */
    public java.util.concurrent.locks.Lock lock() {
        return lock;
    }

    // ---------------------------------------------------------------------------------------------
    // Waiting
    // ---------------------------------------------------------------------------------------------

    @Override
    public void await() throws InterruptedException {
        awaitTicket(WaitStrategy.FOREVER, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitTicket(WaitStrategy.FOREVER, false);
        } catch (final InterruptedException e) {
            throw new AssertionError("uninterruptible wait interrupted", e);
        }
    }

    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException {
        final long start = System.nanoTime();
        final boolean signalledInTime = awaitTicket(Math.max(0, nanosTimeout), true);
        final long remaining = nanosTimeout - (System.nanoTime() - start);
        return signalledInTime ? Math.max(1, remaining) : Math.min(0, remaining);
    }

    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException {
        return awaitTicket(Math.max(0, unit.toNanos(time)), true);
    }

    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException {
        return awaitTicket(Math.max(0, TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())),
            true);
    }

    /**
     * Waits until {@code predicate} holds, re-checking it (with the lock held) after every
     * wake-up: Python's {@code Condition.wait_for}.
     *
     * @param predicate what to wait for; evaluated with the lock held
     * @param timeout   how long to wait at most
     * @param unit      the unit of {@code timeout}
     * @return the predicate's last value: false means the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitFor(final BooleanSupplier predicate, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        final long deadline = System.nanoTime() + Math.max(0, unit.toNanos(timeout));
        boolean result = predicate.getAsBoolean();
        while (!result) {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            awaitTicket(remaining, true);
            result = predicate.getAsBoolean();
        }
        return true;
    }

    /**
     * @return true if signalled, false if the timeout passed first
     */
    private boolean awaitTicket(final long timeoutNanos, final boolean interruptible) throws InterruptedException {
        final RobustMutex mutex = mutex();
        if (!mutex.isHeldByCurrentThread()) {
            throw notHeld();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        final int ticket = region.getIntVolatile(ConditionLayout.TICKETS_OFFSET);
        if (ticket - signalled.get() >= ConditionLayout.MAX_WAITERS) {
            throw new IllegalStateException(region.file() + ": too many waiters: max=" + ConditionLayout.MAX_WAITERS);
        }
        region.putIntVolatile(ConditionLayout.ticketStateOffset(ticket), ConditionLayout.TICKET_WAITING);
        region.putIntVolatile(ConditionLayout.TICKETS_OFFSET, ticket + 1);
        final int holds = mutex.releaseFully();
        boolean signalledInTime = false;
        InterruptedException interrupted = null;
        try {
            signalledInTime = strategy.await(signalled, () -> signalled.getAcquire() - ticket > 0, timeoutNanos,
                interruptible);
        } catch (final InterruptedException e) {
            interrupted = e;
        } finally {
            mutex.reacquire(holds);
        }
        if (!signalledInTime) {
            if (signalled.get() - ticket > 0) {
                // Signalled while timing out or being interrupted: the signal counts, not lost.
                signalledInTime = true;
                if (interrupted != null) {
                    Thread.currentThread().interrupt();
                    interrupted = null;
                }
            } else {
                region.putIntVolatile(ConditionLayout.ticketStateOffset(ticket), ConditionLayout.TICKET_CANCELLED);
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
        return signalledInTime;
    }

    // ---------------------------------------------------------------------------------------------
    // Signalling
    // ---------------------------------------------------------------------------------------------

    /** Wakes the longest-waiting thread, if any; the lock must be held. */
    @Override
    public void signal() {
        if (!mutex().isHeldByCurrentThread()) {
            throw notHeld();
        }
        final int tickets = region.getIntVolatile(ConditionLayout.TICKETS_OFFSET);
        int next = signalled.get();
        while (tickets - next > 0) {
            final int state = region.getIntVolatile(ConditionLayout.ticketStateOffset(next));
            next++;
            if (state == ConditionLayout.TICKET_WAITING) {
                break;
            }
        }
        if (next != signalled.get()) {
            signalled.set(next);
            signalled.wakeAll();
        }
    }

    /** Wakes every thread waiting now; the lock must be held. */
    @Override
    public void signalAll() {
        if (!mutex().isHeldByCurrentThread()) {
            throw notHeld();
        }
        final int tickets = region.getIntVolatile(ConditionLayout.TICKETS_OFFSET);
        if (tickets != signalled.get()) {
            signalled.set(tickets);
            signalled.wakeAll();
        }
    }

    /**
     * @return how many threads (over all processes) are waiting or have tickets not yet signalled
     */
    public int waiting() {
        int count = 0;
        final int tickets = region.getIntVolatile(ConditionLayout.TICKETS_OFFSET);
        for (int t = signalled.get(); tickets - t > 0; t++) {
            if (region.getIntVolatile(ConditionLayout.ticketStateOffset(t)) == ConditionLayout.TICKET_WAITING) {
                count++;
            }
        }
        return count;
    }

    private IllegalMonitorStateException notHeld() {
        return new IllegalMonitorStateException("Condition " + file + ": the current thread ("
            + Thread.currentThread().getName() + ") does not hold its lock");
    }

    /**
     * @return the condition's file
     */
    public Path file() {
        return Path.of(file);
    }

    /** Unmaps the condition in this process (not its lock). */
    @Override
    public void close() {
        region.close();
    }

    @Serial
    private Object readResolve() {
        return attach(Path.of(file));
    }

    @Override
    public String toString() {
        return "Condition[" + file + ", lock " + lock + "]";
    }
}
