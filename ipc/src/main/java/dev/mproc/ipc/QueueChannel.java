package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;
import dev.mproc.sync.RegionMutex;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The engine behind {@link Queue}, {@link JoinableQueue} and {@link SimpleQueue}: a
 * {@link ByteRingLayout} ring whose producers take turns through one {@link RegionMutex} and whose
 * consumers take turns through another.
 */
/*
 * Algorithm.
 *
 * put: encode the value outside any lock (into a per-thread buffer), then loop: wait, without a
 * lock, until the ring probably has room (published tail and head) and the count is below max
 * size; take the producer mutex; re-check exactly; if there is no room after all, release and go
 * round again; otherwise count the task (JoinableQueue) and write the record(s), bump the put
 * count, release. Waiting outside the mutex keeps hold times to one copy, so offer() and other
 * producers never queue behind a producer that waits for room.
 *
 * take: likewise wait, without a lock, until a record is committed at the published head; take
 * the consumer mutex; resume from the shared head; read the message (or find it was taken by
 * another consumer and go round again); bump the take count; release.
 *
 * A fragmented message is written and read with the mutex held across its fragments, so
 * fragments of two messages never interleave and one consumer gets all of one message.
 *
 * Faults. A producer that dies holding the mutex is replaced by the next producer within the
 * mutex's recovery time (50-100 ms). The dead one's record was either committed (the new holder's
 * resync steps over it: nothing committed is lost) or not (its bytes are overwritten: it never
 * existed); if it died mid-way through a fragmented message, the new holder writes ABORT and
 * consumers drop the fragments. A consumer gathering fragments notices that the producer died
 * (mutex held by a dead process, or free while the ring's mid-message flag is set) and drops the
 * partial message. A consumer that dies holding the consumer mutex is replaced likewise; the
 * message it was reading is delivered to the next consumer unless the dead one had already moved
 * the head past it (then that one message is lost, and size() stays one too high).
 */
final class QueueChannel<T> {
    /** One encoding buffer per thread, shared by every queue: a put encodes, then writes. */
    private static final ThreadLocal<EncodingBuffer> ENCODING = ThreadLocal.withInitial(EncodingBuffer::new);
    /** An encoding buffer grown beyond this is dropped after use rather than kept for the next value. */
    static final int KEPT_BUFFER_BYTES = 1 << 20;

    private final MappedRegion region;
    private final Codec<T> codec;
    private final WaitStrategy strategy;
    private final RegionMutex producers;
    private final RegionMutex consumers;
    private final RingWriter writer;
    private final RingReader reader;
    private final WaitWord dataWait;
    private final WaitWord spaceWait;
    private final WaitWord unfinished;
    private final int maxSize;
    private final int capacity;
    private final boolean joinable;
    private final long ring;
    private final BooleanSupplier closedCheck = this::isClosed;
    private final RingReader.ProducerState producerState = this::producerGone;
    private final WaitCondition messageLikely = this::messageLikelyOrClosed;
    /** Producer-side copies, read and written only under the producer mutex. */
    private long putCount;
    private long takeCountCache;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    QueueChannel(final MappedRegion region, final Codec<? super T> codec, final WaitStrategy strategy) {
        this.region = region;
        this.codec = codec == null ? (Codec<T>) DefaultCodec.instance() : (Codec<T>) codec;
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
        this.ring = QueueLayout.RING_OFFSET;
        this.capacity = region.getInt(QueueLayout.CAPACITY_OFFSET);
        this.maxSize = region.getInt(QueueLayout.MAX_SIZE_OFFSET);
        this.joinable = region.getInt(QueueLayout.JOINABLE_OFFSET) != 0;
        this.producers = RegionMutex.at(region, QueueLayout.PRODUCER_MUTEX_OFFSET, this.strategy);
        this.consumers = RegionMutex.at(region, QueueLayout.CONSUMER_MUTEX_OFFSET, this.strategy);
        this.writer = new RingWriter(region, ring, this.strategy, true);
        this.reader = new RingReader(region, ring, this.strategy);
        this.dataWait = new WaitWord(region.segment(), ring + ByteRingLayout.DATA_WAIT_OFFSET, Futex.system());
        this.spaceWait = new WaitWord(region.segment(), ring + ByteRingLayout.SPACE_WAIT_OFFSET, Futex.system());
        this.unfinished = new WaitWord(region.segment(), QueueLayout.UNFINISHED_OFFSET, Futex.system());
    }

    static void initialise(final MappedRegion region, final int capacity, final int maxSize, final boolean joinable) {
        region.putInt(QueueLayout.CAPACITY_OFFSET, capacity);
        region.putInt(QueueLayout.MAX_SIZE_OFFSET, maxSize);
        region.putInt(QueueLayout.JOINABLE_OFFSET, joinable ? 1 : 0);
        RingWriter.initialise(region, QueueLayout.RING_OFFSET, capacity);
    }

    MappedRegion region() {
        return region;
    }

    boolean isJoinable() {
        return joinable;
    }

    int maxSize() {
        return maxSize;
    }

    int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------------------------------------
    // Producing
    // ---------------------------------------------------------------------------------------------

    /**
     * @return true if put; false if no room came within the timeout
     */
    boolean offer(final T value, final long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        failIfClosed();
        final EncodingBuffer encoding = ENCODING.get();
        encoding.clear();
        try {
            codec.encode(value, encoding);
            return offerEncoded(encoding.segment(), encoding.length(), timeoutNanos);
        } finally {
            if (encoding.capacity() > KEPT_BUFFER_BYTES) {
                // One huge value must not pin its encoding in this thread for good.
                ENCODING.remove();
            }
        }
    }

    private boolean offerEncoded(final MemorySegment bytes, final int length, final long timeoutNanos)
        throws InterruptedException {
        final long deadline = System.nanoTime() + timeoutNanos;
        final int firstFrame = ByteRingLayout.HEADER_LENGTH
            + (writer.fitsWhole(length) ? length : writer.maxWholePayload());
        while (true) {
            // Hold times are one copy, so waiting for the mutex even in offer() is short (unless a
            // producer streams a fragmented message: then the ring is busy anyway).
            if (!producers.tryLock(lockTimeout(deadline, timeoutNanos), closedCheck)) {
                failIfClosed();
                return false;
            }
            boolean written = false;
            try {
                // A live holder publishes its tail before unlocking; only a dead one may have
                // committed a record past the published tail.
                writer.resync(producers.previousHolderDied());
                written = belowMaxSize() && writer.awaitSpace(firstFrame, 0, closedCheck, true) && write(bytes, length);
            } finally {
                producers.unlock();
                // The unlock was a volatile store, a full fence on every platform HotSpot runs
                // on: every commit of this put is globally visible before the consumers' sleeper
                // count is read here. One fence per put instead of two.
                writer.signalDeferred();
            }
            if (written) {
                return true;
            }
            // No room: wait for it without holding the mutex, then try again.
            final long left = remaining(deadline, timeoutNanos);
            final long room = roomFor(length);
            if (left <= 0 || !strategy.await(spaceWait, () -> roomLikely(room) || closed, left, true)) {
                return false;
            }
            failIfClosed();
        }
    }

    /**
     * Writes a message whose first record was found to fit; under the producer mutex.
     *
     * @return false if it did not fit after all: the ring first needed an ABORT record for a
     *         message a dead or interrupted producer left half-written, and that moved the tail
     */
    private boolean write(final MemorySegment bytes, final int length) throws InterruptedException {
        if (joinable) {
            unfinished.getAndAdd(1);
        }
        try {
            if (!writer.write(bytes, 0, length, false, 0, closedCheck, true)) {
                if (joinable) {
                    unfinished.getAndAdd(-1);
                }
                return false;
            }
        } catch (final InterruptedException | RuntimeException e) {
            if (joinable) {
                unfinished.getAndAdd(-1);
            }
            if (e instanceof RingWriter.CancelledWriteException) {
                throw closedException();
            }
            throw e;
        }
        putCount++;
        region.putLongOpaque(QueueLayout.PUT_COUNT_OFFSET, putCount);
        return true;
    }

    /** Free bytes the ring must show (without the mutex) before trying: record, worst padding, next header. */
    private long roomFor(final int length) {
        final long record = writer.fitsWhole(length) ? ByteRingLayout.HEADER_LENGTH + length : capacity / 4;
        // Twice the record (it may need as much padding before it), its successor's header, and
        // room for an ABORT record should a dead producer have left a message half-written.
        return 2L * ByteRingLayout.align(record) + 2L * ByteRingLayout.HEADER_LENGTH;
    }

    private boolean messageLikelyOrClosed() {
        return reader.recordAtPublishedHead() || closed;
    }

    private boolean roomLikely(final long room) {
        return writer.publishedFreeBytes() >= room
            && (maxSize <= 0 || region.getLongVolatile(QueueLayout.PUT_COUNT_OFFSET)
                - region.getLongVolatile(QueueLayout.TAKE_COUNT_OFFSET) < maxSize);
    }

    /** Under the producer mutex: re-reads the consumers' count only when the cached one says full. */
    private boolean belowMaxSize() {
        putCount = region.getLong(QueueLayout.PUT_COUNT_OFFSET);
        if (maxSize <= 0 || putCount - takeCountCache < maxSize) {
            return true;
        }
        takeCountCache = region.getLongVolatile(QueueLayout.TAKE_COUNT_OFFSET);
        return putCount - takeCountCache < maxSize;
    }

    // ---------------------------------------------------------------------------------------------
    // Consuming
    // ---------------------------------------------------------------------------------------------

    /**
     * @return the next value, or null if none came within the timeout
     */
    T poll(final long timeoutNanos) throws InterruptedException {
        failIfClosed();
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (!consumers.tryLock(lockTimeout(deadline, timeoutNanos), closedCheck)) {
                failIfClosed();
                return null;
            }
            try {
                reader.resync();
                while (reader.nextMessage()) {
                    final T value = readMessage();
                    if (value != null) {
                        return value;
                    }
                }
            } finally {
                consumers.unlock();
            }
            // Empty: wait for a record without holding the mutex, then try again.
            final long left = remaining(deadline, timeoutNanos);
            if (left <= 0 || !strategy.await(dataWait, messageLikely, left, true)) {
                return null;
            }
            failIfClosed();
        }
    }

    /** Reads the message at the head under the consumer mutex; null if it was abandoned. */
    @SuppressWarnings("unchecked")
    private T readMessage() {
        final boolean raw = reader.isRaw();
        if (reader.isWhole() && !raw) {
            // Decoded in place, straight from the ring.
            try {
                return codec.decode(reader.payload());
            } finally {
                reader.consume();
                taken();
            }
        }
        final byte[] bytes = reader.readBytes(producerState, closedCheck);
        if (bytes == null) {
            return null;
        }
        taken();
        return raw ? (T) bytes : codec.decode(MemorySegment.ofArray(bytes));
    }

    private void taken() {
        final long count = region.getLong(QueueLayout.TAKE_COUNT_OFFSET) + 1;
        if (maxSize > 0) {
            // Volatile, then the sleeper check: a producer may sleep until the count drops.
            region.putLongVolatile(QueueLayout.TAKE_COUNT_OFFSET, count);
            spaceWait.signalAll();
        } else {
            region.putLongOpaque(QueueLayout.TAKE_COUNT_OFFSET, count);
        }
    }

    /** For a consumer gathering fragments: the producer died or gave the message up. */
    private boolean producerGone(final boolean midMessage) {
        if (!midMessage) {
            return false;
        }
        if (producers.isLocked()) {
            return producers.isHolderDead();
        }
        return writer.isMidMessage();
    }

    // ---------------------------------------------------------------------------------------------
    // JoinableQueue
    // ---------------------------------------------------------------------------------------------

    void taskDone() {
        failIfClosed();
        while (true) {
            final int count = unfinished.get();
            if (count <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put: " + region.file());
            }
            if (unfinished.compareAndSet(count, count - 1)) {
                if (count == 1) {
                    unfinished.wakeAll();
                }
                return;
            }
        }
    }

    boolean join(final long timeoutNanos) throws InterruptedException {
        failIfClosed();
        return strategy.await(unfinished, () -> unfinished.get() == 0 || closed, timeoutNanos, true) && !closed
            || unfinished.get() == 0;
    }

    int unfinishedTasks() {
        return unfinished.get();
    }

    // ---------------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------------

    int size() {
        final long taken = region.getLongVolatile(QueueLayout.TAKE_COUNT_OFFSET);
        final long put = region.getLongVolatile(QueueLayout.PUT_COUNT_OFFSET);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, put - taken));
    }

    boolean isClosed() {
        return closed;
    }

    void failIfClosed() {
        if (closed) {
            throw closedException();
        }
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException("queue handle closed: " + region.file());
    }

    /**
     * Marks this handle closed and wakes its blocked threads (they throw ChannelClosedException).
     * The mapping is released when the handle is unreachable: a thread of this handle may still
     * be inside a mutex, and unmapping under it would leave the mutex held by a live process.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        RingWriter.wakeAll(region, ring);
        unfinished.wakeAll();
    }

    /** The mutex wait of a call: a zero timeout still waits for the (short) hold of another thread. */
    private static long lockTimeout(final long deadline, final long timeoutNanos) {
        return timeoutNanos <= 0 ? WaitStrategy.FOREVER : remaining(deadline, timeoutNanos);
    }

    private static long remaining(final long deadline, final long timeoutNanos) {
        if (timeoutNanos == WaitStrategy.FOREVER) {
            return WaitStrategy.FOREVER;
        }
        return Math.max(0, deadline - System.nanoTime());
    }
}
