package dev.mproc.core;

import java.util.concurrent.TimeUnit;

/**
 * How a thread waits for a condition in shared memory: spinning, yielding, sleeping on a futex,
 * or any mix. Every blocking call of mproc takes one; {@link WaitStrategies} makes the usual ones,
 * and {@link WaitStrategies#idling(java.util.function.Supplier)} adapts any Agrona
 * {@link org.agrona.concurrent.IdleStrategy} for those who already tune their duty cycles that way.
 * <p>
 * The condition may have side effects (a lock's condition tries to take the lock): an
 * implementation must return {@code true} as soon as an evaluation returns true, without
 * evaluating it again, and must never return {@code false} or throw after an evaluation that
 * returned true.
 * <p>
 * An implementation must be safe to use from many threads at once, must re-check the condition
 * after every pause, must notice {@link Thread#interrupt()} (when interruptible) and the timeout
 * within a bounded time, and must only sleep on the {@link WaitWord} after announcing itself
 * through it, so that wakers know to enter the kernel.
 */
public interface WaitStrategy {

    /** Timeout meaning "wait forever". */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Waits until {@code condition} holds.
     *
     * @param word          the word wakers change or bump when the condition may have become true
     * @param condition     what to wait for
     * @param timeoutNanos  how long to wait at most, or {@link #FOREVER}
     * @param interruptible true to end with {@link InterruptedException} on interrupt; false to
     *                      keep waiting and restore the interrupt status on return
     * @return true if the condition holds, false if the timeout passed first
     * @throws InterruptedException if interruptible and the thread was interrupted (the status is
     *                              cleared, as {@code java.util.concurrent} does)
     */
    boolean await(WaitWord word, WaitCondition condition, long timeoutNanos, boolean interruptible)
        throws InterruptedException;

    /**
     * Waits, interruptibly, until {@code condition} holds or the timeout passes.
     *
     * @param word      the word wakers change
     * @param condition what to wait for
     * @param timeout   how long to wait at most
     * @param unit      the unit of {@code timeout}
     * @return true if the condition holds, false on timeout
     * @throws InterruptedException if interrupted
     */
    default boolean await(final WaitWord word, final WaitCondition condition, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return await(word, condition, unit.toNanos(timeout), true);
    }

    /**
     * Waits, interruptibly and without a timeout, until {@code condition} holds.
     *
     * @param word      the word wakers change
     * @param condition what to wait for
     * @throws InterruptedException if interrupted
     */
    default void await(final WaitWord word, final WaitCondition condition) throws InterruptedException {
        await(word, condition, FOREVER, true);
    }

    /**
     * Waits without a timeout and without answering interrupts until {@code condition} holds;
     * an interrupt received meanwhile is restored on return.
     *
     * @param word      the word wakers change
     * @param condition what to wait for
     */
    default void awaitUninterruptibly(final WaitWord word, final WaitCondition condition) {
        try {
            await(word, condition, FOREVER, false);
        } catch (final InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }
}
