package dev.mproc.tests.process;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.ipc.Queue;
import dev.mproc.sync.Barrier;
import dev.mproc.sync.Event;

/**
 * What the tasks of these tests do in a child or worker JVM, where a lambda cannot throw checked
 * exceptions and must not wait without bound.
 * <p>
 * Why bounded waits even in a child: a task that waits for an event the test never sets (because
 * the test failed first) would keep its JVM, and with it a non-daemon child's parent, alive. The
 * tests kill what they started in any case; this is the second line.
 */
final class Tasks {
    /** How long a task waits for the test before giving up: far beyond any test's own timeout. */
    static final Duration PATIENCE = Duration.ofSeconds(90);

    private Tasks() {
    }

    /**
     * Waits for {@code event}, failing the task if it is not set within {@link #PATIENCE}.
     *
     * @param event the event, set by the test
     */
    static void await(final Event event) {
        try {
            if (!event.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test did not set " + event + " within " + PATIENCE.toSeconds() + " s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + event, e);
        }
    }

    /**
     * Waits at {@code barrier} for its other parties, failing the task if they do not all arrive
     * within {@code seconds}.
     *
     * @param barrier the barrier
     * @param seconds how long to wait at most
     */
    static void meet(final Barrier barrier, final long seconds) {
        try {
            barrier.await(seconds, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at " + barrier, e);
        } catch (final BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the other parties did not arrive at " + barrier + " within " + seconds + " s", e);
        }
    }

    /**
     * Puts {@code value}, turning an interrupt into a failure of the task.
     *
     * @param queue the queue
     * @param value the value
     * @param <T>   its type
     */
    static <T> void put(final Queue<T> queue, final T value) {
        try {
            queue.put(value);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted putting " + value, e);
        }
    }

    /**
     * Sleeps, turning an interrupt into a failure of the task. Only for tasks whose point is to be
     * busy for a while (a child that sleeps), never to wait for something.
     *
     * @param duration how long
     */
    static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping", e);
        }
    }

    /**
     * @return the pid of the JVM running the task
     */
    static long pid() {
        return ProcessHandle.current().pid();
    }
}
