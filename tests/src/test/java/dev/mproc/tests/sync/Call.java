package dev.mproc.tests.sync;

import java.util.Date;
import java.util.concurrent.TimeUnit;

import dev.mproc.sync.RLock;

/**
 * The blocking calls of the sync types, each performed by {@link BlockingCallChild} on the
 * {@link SyncObjects} and judged by {@link InterruptAcrossJvmsTest} and
 * {@link TimedCallsAcrossJvmsTest}.
 * <p>
 * A call that succeeds undoes itself (unlocks, releases the permit) so that it leaves nothing
 * held; its outcome is a short text the parent compares: {@code true}/{@code false} for calls that
 * say whether they succeeded, the arrival index for a barrier, the simple name of the exception a
 * call threw. Condition calls take the condition's RLock twice first and append
 * {@code holds=<n>}: how many holds the thread had when the call returned or threw, which must be
 * two whatever the outcome.
 */
enum Call {
    LOCK_LOCK_INTERRUPTIBLY(Target.LOCK, (o, t) -> {
        o.lock().lockInterruptibly();
        o.lock().unlock();
        return "true";
    }),
    LOCK_TRY_LOCK_TIMED(Target.LOCK, (o, t) -> unlockIf(o.lock().tryLock(t, TimeUnit.NANOSECONDS), o.lock())),
    RLOCK_LOCK_INTERRUPTIBLY(Target.RLOCK, (o, t) -> {
        o.rlock().lockInterruptibly();
        o.rlock().unlock();
        return "true";
    }),
    RLOCK_TRY_LOCK_TIMED(Target.RLOCK, (o, t) -> unlockIf(o.rlock().tryLock(t, TimeUnit.NANOSECONDS), o.rlock())),
    SEMAPHORE_ACQUIRE(Target.SEMAPHORE, (o, t) -> {
        o.semaphore().acquire();
        o.semaphore().release();
        return "true";
    }),
    SEMAPHORE_TRY_ACQUIRE_TIMED(Target.SEMAPHORE, (o, t) -> {
        final boolean acquired = o.semaphore().tryAcquire(t, TimeUnit.NANOSECONDS);
        if (acquired) {
            o.semaphore().release();
        }
        return Boolean.toString(acquired);
    }),
    /** Two permits where at most one can be had: times out, and must not keep a partial one. */
    SEMAPHORE_TRY_ACQUIRE_TWO_TIMED(Target.SEMAPHORE, (o, t) -> {
        final boolean acquired = o.semaphore().tryAcquire(2, t, TimeUnit.NANOSECONDS);
        if (acquired) {
            o.semaphore().release(2);
        }
        return Boolean.toString(acquired);
    }),
    EVENT_AWAIT(Target.EVENT, (o, t) -> {
        o.event().await();
        return "true";
    }),
    EVENT_AWAIT_TIMED(Target.EVENT, (o, t) -> Boolean.toString(o.event().await(t, TimeUnit.NANOSECONDS))),
    CONDITION_AWAIT(Target.CONDITION, (o, t) -> holdingConditionLockTwice(o, () -> {
        o.condition().await();
        return "true";
    })),
    CONDITION_AWAIT_TIMED(Target.CONDITION,
        (o, t) -> holdingConditionLockTwice(o, () -> Boolean.toString(o.condition().await(t, TimeUnit.NANOSECONDS)))),
    CONDITION_AWAIT_NANOS(Target.CONDITION,
        (o, t) -> holdingConditionLockTwice(o, () -> Boolean.toString(o.condition().awaitNanos(t) > 0))),
    /** The deadline is a millisecond later than the timeout, so that the clock's tick cannot make it earlier. */
    CONDITION_AWAIT_UNTIL(Target.CONDITION, (o, t) -> holdingConditionLockTwice(o,
        () -> Boolean.toString(o.condition().awaitUntil(new Date(System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(t) + 1))))),
    CONDITION_AWAIT_FOR(Target.CONDITION,
        (o, t) -> holdingConditionLockTwice(o, () -> Boolean.toString(o.condition().awaitFor(() -> false, t, TimeUnit.NANOSECONDS)))),
    BARRIER_AWAIT(Target.BARRIER, (o, t) -> Integer.toString(o.barrier().await())),
    BARRIER_AWAIT_TIMED(Target.BARRIER, (o, t) -> Integer.toString(o.barrier().await(t, TimeUnit.NANOSECONDS)));

    /** The object a call blocks on. */
    enum Target { LOCK, RLOCK, CONDITION, SEMAPHORE, EVENT, BARRIER }

    private final Target target;
    private final Action action;

    Call(final Target target, final Action action) {
        this.target = target;
        this.action = action;
    }

    /**
     * @return the object the call blocks on
     */
    Target target() {
        return target;
    }

    /**
     * Performs the call, with {@code timeoutNanos} for the timed forms (ignored by the others).
     *
     * @param objects      the objects
     * @param timeoutNanos the timeout of a timed form
     * @return the outcome text
     * @throws Exception whatever the call threw (but condition calls report it in the outcome)
     */
    String perform(final SyncObjects objects, final long timeoutNanos) throws Exception {
        return action.perform(objects, timeoutNanos);
    }

    private static String unlockIf(final boolean locked, final java.util.concurrent.locks.Lock lock) {
        if (locked) {
            lock.unlock();
        }
        return Boolean.toString(locked);
    }

    /** Waits holding the condition's lock twice; reports the holds left when the wait ended. */
    private static String holdingConditionLockTwice(final SyncObjects objects, final Wait wait) {
        final RLock lock = objects.conditionLock();
        lock.lock();
        lock.lock();
        String outcome;
        try {
            outcome = wait.run();
        } catch (final Exception e) {
            outcome = e.getClass().getSimpleName();
        }
        final int holds = lock.getHoldCount();
        while (lock.getHoldCount() > 0) {
            lock.unlock();
        }
        return outcome + " holds=" + holds;
    }

    @FunctionalInterface
    private interface Action {
        String perform(SyncObjects objects, long timeoutNanos) throws Exception;
    }

    @FunctionalInterface
    private interface Wait {
        String run() throws Exception;
    }
}
