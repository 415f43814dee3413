package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A first-in first-out queue shared by any number of producer and consumer processes: Python's
 * {@code multiprocessing.Queue}, with {@code java.util.concurrent} names ({@code put}/{@code take}
 * block, {@code offer}/{@code poll} do not or wait at most a timeout, {@code poll} returns
 * {@code null} where Python raises {@code Empty}).
 * <p>
 * Values go through the queue's {@link Codec} ({@link dev.mproc.core.DefaultCodec} unless a builder
 * says otherwise); {@code null} is refused with {@link NullPointerException}, and a value the codec
 * refuses throws its {@link dev.mproc.core.CodecException} with nothing enqueued. Any size goes
 * through: a value larger than a quarter of the ring is streamed in fragments while a consumer
 * takes them.
 * <p>
 * <b>Capacity.</b> The queue holds at most {@link #maxSize()} items when created with one (as
 * Python's {@code Queue(maxsize)}), and in any case no more than its ring (1 MiB by default)
 * holds; {@code put} waits while either is full. {@link #size()} is exact when no put or take is in
 * progress, and otherwise off by at most the number in progress.
 * <p>
 * <b>Order.</b> Values from one producer thread are taken in the order it put them; values from
 * different producers are taken in the order their puts completed.
 * <p>
 * <b>Closing.</b> {@link #close()} closes this handle only (Python's {@code Queue.close()}: "no
 * more data will be put on this queue by the current process"): everything already put stays in
 * the queue for other handles; later calls on this handle throw {@link ChannelClosedException};
 * threads blocked in {@code put} or {@code take} on this handle throw it too, within one sleep
 * slice (10 ms by default). To remove the queue's file for everyone, close the namespace or unlink
 * the region.
 * <p>
 * <b>Faults.</b> A producer process killed half-way through a put never blocks the others: the
 * next producer takes over its turn within 50-100 ms; a value whose put had returned is never lost,
 * and a half-written one is never delivered. A consumer killed inside {@code take} loses at most
 * the one value it was taking (it is delivered to another consumer if the dead one had not yet
 * consumed it).
 * <p>
 * The queue is a small serialisable handle: a task that captures it attaches to the same file in
 * the process that runs it (with the same codec, which must then be serialisable).
 * <p>
 * Memory consistency effects: actions in a thread prior to placing a value in the queue
 * <i>happen-before</i> actions subsequent to the access or removal of that value from the queue in
 * another thread of any process.
 *
 * @param <T> the type of values
 */
public sealed class Queue<T> implements AutoCloseable, Serializable permits JoinableQueue {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a queue file (plain, joinable or simple). */
    public static final RegionKind KIND = RegionKind.of("QUEU");
    /** Bytes of the ring unless a builder says otherwise. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    private final String file;
    private final Codec<? super T> codec;
    final transient QueueChannel<T> channel;

    Queue(final QueueChannel<T> channel, final Codec<? super T> codec) {
        this.file = channel.region().file().toString();
        this.codec = codec;
        this.channel = channel;
    }

    /**
     * @param namespace where the file goes
     * @param <T>       the type of values
     * @return a new queue bounded only by its ring
     */
    public static <T> Queue<T> create(final Namespace namespace) {
        return Queue.<T>builder().create(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param maxSize   most items held at once, at least 1
     * @param <T>       the type of values
     * @return a new queue
     */
    public static <T> Queue<T> create(final Namespace namespace, final int maxSize) {
        return Queue.<T>builder().maxSize(maxSize).create(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param name      the queue's name: created if absent, attached if present
     * @param <T>       the type of values
     * @return the queue of that name
     */
    public static <T> Queue<T> create(final Namespace namespace, final String name) {
        return Queue.<T>builder().create(namespace, name);
    }

    /**
     * @param file a queue file
     * @param <T>  the type of values
     * @return a handle on it, with the default codec
     */
    public static <T> Queue<T> attach(final Path file) {
        return attach(file, null, null);
    }

    /**
     * @param file     a queue file
     * @param codec    the codec its values were encoded with, or null for the default
     * @param strategy how blocked calls wait, or null for the default
     * @param <T>      the type of values
     * @return a handle on it
     */
    public static <T> Queue<T> attach(final Path file, final Codec<? super T> codec, final WaitStrategy strategy) {
        final QueueChannel<T> channel = open(file, codec, strategy);
        if (channel.isJoinable()) {
            return new JoinableQueue<>(channel, codec);
        }
        return new Queue<>(channel, codec);
    }

    static <T> QueueChannel<T> open(final Path file, final Codec<? super T> codec, final WaitStrategy strategy) {
        return new QueueChannel<>(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            QueueLayout.LAYOUT_VERSION), codec, strategy);
    }

    /**
     * @param <T> the type of values
     * @return a builder for queues with a chosen max size, ring capacity, codec or wait strategy
     */
    public static <T> QueueBuilder<T> builder() {
        return new QueueBuilder<>();
    }

    /**
     * A second handle on this queue whose blocking calls wait with {@code strategy}.
     *
     * @param strategy how blocked calls wait
     * @return the new handle
     */
    public Queue<T> withWaitStrategy(final WaitStrategy strategy) {
        return attach(file(), codec, Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * Puts a value, waiting while the queue is full.
     *
     * @param value the value, not null
     * @throws InterruptedException if interrupted while waiting (nothing was put)
     * @throws ChannelClosedException if this handle is closed
     */
    public void put(final T value) throws InterruptedException {
        channel.offer(value, WaitStrategy.FOREVER);
    }

    /**
     * Puts a value if there is room now (waiting only for another producer's copy to finish).
     *
     * @param value the value, not null
     * @return true if put, false if full
     */
    public boolean offer(final T value) {
        try {
            return channel.offer(value, 0);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts a value, waiting at most {@code timeout} for room.
     *
     * @param value   the value, not null
     * @param timeout how long at most
     * @param unit    its unit
     * @return true if put, false if no room came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean offer(final T value, final long timeout, final TimeUnit unit) throws InterruptedException {
        return channel.offer(value, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Takes the oldest value, waiting for one.
     *
     * @return the value
     * @throws InterruptedException if interrupted while waiting
     * @throws dev.mproc.core.CodecException if the value does not decode (it is consumed)
     */
    public T take() throws InterruptedException {
        return channel.poll(WaitStrategy.FOREVER);
    }

    /**
     * @return the oldest value, or null if the queue is empty
     */
    public T poll() {
        try {
            return channel.poll(0);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @param timeout how long to wait at most
     * @param unit    its unit
     * @return the oldest value, or null if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        return channel.poll(Math.max(0, unit.toNanos(timeout)));
    }

    /** @return how many values are in the queue (see the class comment on exactness) */
    public int size() {
        channel.failIfClosed();
        return channel.size();
    }

    /** @return true if {@link #size()} is 0 */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** @return the most items the queue holds, or 0 if only its ring limits it */
    public int maxSize() {
        return channel.maxSize();
    }

    /** @return bytes of the ring */
    public int capacity() {
        return channel.capacity();
    }

    /** @return the queue's file */
    public Path file() {
        return Path.of(file);
    }

    /** @return true once this handle was closed */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /** Closes this handle (see the class comment); the queue and its contents stay. Idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + file + ", size=" + channel.size() + "]";
    }

    @Serial
    Object readResolve() {
        return attach(file(), codec, null);
    }
}
