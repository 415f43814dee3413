package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategy;

import java.util.Objects;

/**
 * Options for a new {@link Queue}, {@link JoinableQueue} or {@link SimpleQueue}.
 *
 * @param <T> the type of values
 */
public final class QueueBuilder<T> {
    private int maxSize;
    private int capacity = Queue.DEFAULT_CAPACITY;
    private Codec<? super T> codec;
    private WaitStrategy strategy;

    QueueBuilder() {
    }

    /**
     * @param value most items held at once (Python's {@code maxsize}), at least 1
     * @return this builder
     */
    public QueueBuilder<T> maxSize(final int value) {
        if (value < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1: maxSize=" + value);
        }
        this.maxSize = value;
        return this;
    }

    /**
     * @param bytes bytes of the ring, rounded up to a power of two, 1 KiB to 1 GiB
     * @return this builder
     */
    public QueueBuilder<T> capacity(final int bytes) {
        ByteRingLayout.capacityFor(bytes);
        this.capacity = bytes;
        return this;
    }

    /**
     * @param value how values are encoded; serialised with handles sent to other processes
     * @return this builder
     */
    public QueueBuilder<T> codec(final Codec<? super T> value) {
        this.codec = Objects.requireNonNull(value, "codec");
        return this;
    }

    /**
     * @param value how this process's blocked calls wait
     * @return this builder
     */
    public QueueBuilder<T> waitStrategy(final WaitStrategy value) {
        this.strategy = Objects.requireNonNull(value, "waitStrategy");
        return this;
    }

    /**
     * @param namespace where the file goes
     * @return a new queue with a generated name
     */
    public Queue<T> create(final Namespace namespace) {
        return create(namespace, namespace.uniqueName("queue"));
    }

    /**
     * @param namespace where the file goes
     * @param name      created with these options if absent, attached if present
     * @return the queue
     */
    public Queue<T> create(final Namespace namespace, final String name) {
        final QueueChannel<T> channel = channel(namespace, name, false);
        return channel.isJoinable() ? new JoinableQueue<>(channel, codec) : new Queue<>(channel, codec);
    }

    /**
     * @param namespace where the file goes
     * @return a new joinable queue with a generated name
     */
    public JoinableQueue<T> createJoinable(final Namespace namespace) {
        return createJoinable(namespace, namespace.uniqueName("joinable-queue"));
    }

    /**
     * @param namespace where the file goes
     * @param name      created if absent, attached if present
     * @return the joinable queue
     * @throws IllegalArgumentException if a plain queue of that name exists
     */
    public JoinableQueue<T> createJoinable(final Namespace namespace, final String name) {
        final QueueChannel<T> channel = channel(namespace, name, true);
        if (!channel.isJoinable()) {
            throw new IllegalArgumentException("a queue that is not joinable already has that name: "
                + channel.region().file());
        }
        return new JoinableQueue<>(channel, codec);
    }

    /**
     * @param namespace where the file goes
     * @return a new simple queue with a generated name
     */
    public SimpleQueue<T> createSimple(final Namespace namespace) {
        return createSimple(namespace, namespace.uniqueName("simple-queue"));
    }

    /**
     * @param namespace where the file goes
     * @param name      created if absent, attached if present
     * @return the simple queue
     */
    public SimpleQueue<T> createSimple(final Namespace namespace, final String name) {
        return SimpleQueue.of(channel(namespace, name, false), codec);
    }

    private QueueChannel<T> channel(final Namespace namespace, final String name, final boolean joinable) {
        final int ring = ByteRingLayout.capacityFor(capacity);
        final int items = maxSize;
        final MappedRegion region = namespace.createOrAttachRegion(name, Queue.KIND, QueueLayout.LAYOUT_VERSION,
            QueueLayout.length(ring), r -> QueueChannel.initialise(r, ring, items, joinable));
        return new QueueChannel<>(region, codec, strategy);
    }
}
