package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The plainest queue: Python's {@code multiprocessing.SimpleQueue}, with {@code put},
 * {@code take}, {@code isEmpty} and {@code close}. It is a {@link Queue} without sizes or timeouts
 * (same file format, same guarantees, same closing rules), for code that wants nothing more.
 * <p>
 * Memory consistency effects: actions in a thread prior to placing a value in the queue
 * <i>happen-before</i> actions subsequent to the removal of that value in another thread of any
 * process.
 *
 * @param <T> the type of values
 */
public final class SimpleQueue<T> implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a simple queue's file: that of {@link Queue}. */
    public static final RegionKind KIND = Queue.KIND;

    private final String file;
    private final Codec<? super T> codec;
    private final transient QueueChannel<T> channel;

    private SimpleQueue(final QueueChannel<T> channel, final Codec<? super T> codec) {
        this.file = channel.region().file().toString();
        this.codec = codec;
        this.channel = channel;
    }

    /**
     * @param namespace where the file goes
     * @param <T>       the type of values
     * @return a new simple queue
     */
    public static <T> SimpleQueue<T> create(final Namespace namespace) {
        return Queue.<T>builder().createSimple(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param name      created if absent, attached if present
     * @param <T>       the type of values
     * @return the simple queue of that name
     */
    public static <T> SimpleQueue<T> create(final Namespace namespace, final String name) {
        return Queue.<T>builder().createSimple(namespace, name);
    }

    /**
     * @param file a queue file
     * @param <T>  the type of values
     * @return a simple handle on it
     */
    public static <T> SimpleQueue<T> attach(final Path file) {
        return new SimpleQueue<>(Queue.open(file, null, null), null);
    }

    static <T> SimpleQueue<T> of(final QueueChannel<T> channel, final Codec<? super T> codec) {
        return new SimpleQueue<>(channel, codec);
    }

    /**
     * @param value the value, not null
     * @throws InterruptedException if interrupted while waiting for room
     */
    public void put(final T value) throws InterruptedException {
        channel.offer(value, WaitStrategy.FOREVER);
    }

    /**
     * @return the oldest value, waiting for one
     * @throws InterruptedException if interrupted while waiting
     */
    public T take() throws InterruptedException {
        return channel.poll(WaitStrategy.FOREVER);
    }

    /** @return true if the queue holds nothing */
    public boolean isEmpty() {
        channel.failIfClosed();
        return channel.size() == 0;
    }

    /** @return the queue's file */
    public Path file() {
        return Path.of(file);
    }

    /** Closes this handle; the queue and its contents stay. Idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "SimpleQueue[" + file + "]";
    }

    @Serial
    private Object readResolve() {
        return new SimpleQueue<T>(Queue.open(Path.of(file), codec, null), codec);
    }
}
