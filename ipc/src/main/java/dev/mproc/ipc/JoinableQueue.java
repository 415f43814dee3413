package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategy;

import java.io.Serial;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Queue} that counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * Every {@code put} adds one (before the value becomes visible to consumers), every
 * {@link #taskDone()} removes one, and {@link #join()} waits until the count is zero.
 * <p>
 * A consumer process that dies between taking a value and calling {@code taskDone()} leaves the
 * count one too high, as in Python: {@code join()} then waits until its timeout.
 * <p>
 * Memory consistency effects: as {@link Queue}; in addition, actions in a thread prior to calling
 * {@code taskDone()} <i>happen-before</i> actions following a return from {@code join()} (or a
 * {@code true} return from the timed form) that observed the count reach zero.
 *
 * @param <T> the type of values
 */
public final class JoinableQueue<T> extends Queue<T> {
    @Serial
    private static final long serialVersionUID = 1L;

    JoinableQueue(final QueueChannel<T> channel, final Codec<? super T> codec) {
        super(channel, codec);
    }

    /**
     * @param namespace where the file goes
     * @param <T>       the type of values
     * @return a new joinable queue bounded only by its ring
     */
    public static <T> JoinableQueue<T> create(final Namespace namespace) {
        return Queue.<T>builder().createJoinable(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param maxSize   most items held at once, at least 1
     * @param <T>       the type of values
     * @return a new joinable queue
     */
    public static <T> JoinableQueue<T> create(final Namespace namespace, final int maxSize) {
        return Queue.<T>builder().maxSize(maxSize).createJoinable(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param name      created if absent, attached if present (it must be joinable)
     * @param <T>       the type of values
     * @return the joinable queue of that name
     */
    public static <T> JoinableQueue<T> create(final Namespace namespace, final String name) {
        return Queue.<T>builder().createJoinable(namespace, name);
    }

    /**
     * @param file a joinable queue's file
     * @param <T>  the type of values
     * @return a handle on it
     * @throws IllegalArgumentException if the file is a plain queue
     */
    public static <T> JoinableQueue<T> attach(final Path file) {
        if (Queue.<T>attach(file) instanceof JoinableQueue<T> joinable) {
            return joinable;
        }
        throw new IllegalArgumentException("not a joinable queue: " + file);
    }

    /**
     * Marks one task taken from the queue as finished.
     *
     * @throws IllegalStateException if called more times than values were put (Python's ValueError)
     */
    public void taskDone() {
        channel.taskDone();
    }

    /**
     * Waits until every value put has been matched by a {@link #taskDone()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        channel.join(WaitStrategy.FOREVER);
    }

    /**
     * @param timeout how long to wait at most
     * @param unit    its unit
     * @return true if the count reached zero, false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException {
        return channel.join(Math.max(0, unit.toNanos(timeout)));
    }

    /** @return values put and not yet marked done */
    public int unfinishedTasks() {
        return channel.unfinishedTasks();
    }
}
