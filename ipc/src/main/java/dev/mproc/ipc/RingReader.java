package dev.mproc.ipc;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.mproc.ipc.ByteRingLayout.ABORT;
import static dev.mproc.ipc.ByteRingLayout.FIRST;
import static dev.mproc.ipc.ByteRingLayout.HEADER_LENGTH;
import static dev.mproc.ipc.ByteRingLayout.KIND_MASK;
import static dev.mproc.ipc.ByteRingLayout.LAST;
import static dev.mproc.ipc.ByteRingLayout.MIDDLE;
import static dev.mproc.ipc.ByteRingLayout.PAD;
import static dev.mproc.ipc.ByteRingLayout.RAW_FLAG;
import static dev.mproc.ipc.ByteRingLayout.WHOLE;

/**
 * The consuming side of a {@link ByteRingLayout} ring. One thread at a time reads through it: a
 * pipe's receiving end, or the holder of a queue's consumer mutex.
 * <p>
 * Reading a message is two steps: {@link #awaitMessage} waits until the first record of a message
 * is committed (skipping padding and stray fragments), then the caller either takes a WHOLE
 * record's payload in place ({@link #payload()} then {@link #consume()}) or gathers a fragmented
 * one ({@link #gather}).
 */
/*
 * The consumer publishes its head with an opaque store after every record (its own cache line,
 * which the producer reads only when it believes the ring full), and with a volatile store
 * followed by a check of the producer's sleeper count (the other half of WaitWord's protocol)
 * every eighth of the ring, after each fragment, before it waits, and whenever it sees (without a
 * fence) that the producer announced it sleeps. A sleeping producer is therefore woken after the
 * next record in the common case, and at worst within an eighth of the ring's worth of
 * consumption or when the consumer runs dry; its records are at most a quarter of the ring, so it
 * never sleeps forever while the consumer reads.
 */
final class RingReader {
    /** What a reader's owner knows that the ring does not: whether the producer is gone. */
    interface ProducerState {
        /**
         * @return true if no more records can come for the message being gathered (or at all,
         *         when {@code midMessage} is false): the writer closed or died. Called at most once
         *         per sleep slice and once when the ring is found empty.
         */
        boolean isGone(boolean midMessage);
    }

    private final MappedRegion region;
    private final MemorySegment memory;
    private final long base;
    private final long data;
    private final int capacity;
    private final int mask;
    private final long fencedPublishEvery;
    private final WaitWord dataWait;
    private final WaitWord spaceWait;
    private final WaitStrategy strategy;
    private final RecordCondition recordCondition = new RecordCondition();

    private long head;
    private long lastFencedHead;
    /** Offset (body) of the current record's header, valid after awaitMessage returned true. */
    private long current;
    private int currentFrame;
    private int currentType;

    RingReader(final MappedRegion region, final long base, final WaitStrategy strategy) {
        this.region = region;
        this.memory = region.segment();
        this.base = base;
        this.data = base + ByteRingLayout.DATA_OFFSET;
        this.capacity = region.getInt(base + ByteRingLayout.CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.fencedPublishEvery = Math.max(HEADER_LENGTH, capacity / 8);
        this.dataWait = new WaitWord(memory, base + ByteRingLayout.DATA_WAIT_OFFSET, Futex.system());
        this.spaceWait = new WaitWord(memory, base + ByteRingLayout.SPACE_WAIT_OFFSET, Futex.system());
        this.strategy = strategy;
        resync();
    }

    /** Reloads the position from shared memory: after taking the consumer role over. */
    void resync() {
        head = region.getLongAcquire(base + ByteRingLayout.HEAD_OFFSET);
        lastFencedHead = head;
    }

    /**
     * @return true if a record (possibly padding) is committed at the head
     */
    boolean hasRecord() {
        return region.getIntAcquire(data + (head & mask)) != 0;
    }

    /**
     * Non-blocking: skips padding, aborts and stray fragments (left by a reader or writer that
     * died mid-message) and reports whether a message starts at the head.
     *
     * @return true if a WHOLE or FIRST record is at the head
     */
    boolean nextMessage() {
        while (true) {
            final long at = data + (head & mask);
            final int frame = region.getIntAcquire(at);
            if (frame == 0) {
                return false;
            }
            final int type = region.getInt(at + 4);
            final int kind = type & KIND_MASK;
            if (kind == WHOLE || kind == FIRST) {
                current = at;
                currentFrame = frame;
                currentType = type;
                return true;
            }
            if (kind != PAD && kind != ABORT && kind != MIDDLE && kind != LAST) {
                throw new IllegalStateException("corrupt ring record: type=" + type + " frame=" + frame
                    + " position=" + head + " file=" + region.file());
            }
            advance(frame);
        }
    }

    /**
     * Waits until a message starts at the head.
     *
     * @return true if one does; false on timeout, or when {@code producer} says it is gone and
     *         the ring is empty, or {@code cancelled}
     */
    boolean awaitMessage(final long timeoutNanos, final ProducerState producer,
                         final java.util.function.BooleanSupplier cancelled, final boolean interruptible)
        throws InterruptedException {
        if (nextMessage()) {
            return true;
        }
        publishHeadFenced();
        if (timeoutNanos <= 0 || producer.isGone(false) || cancelled.getAsBoolean()) {
            return nextMessage();
        }
        recordCondition.producer = producer;
        recordCondition.cancelled = cancelled;
        recordCondition.midMessage = false;
        final long start = System.nanoTime();
        try {
            long left = timeoutNanos;
            while (true) {
                final long before = head;
                if (!strategy.await(dataWait, recordCondition, left, interruptible)) {
                    return false;
                }
                if (nextMessage()) {
                    return true;
                }
                // The record that ended the wait was padding (or an abort, a stray fragment):
                // the writer commits the pad at the end of the ring before the record that
                // follows it at the start. Skipping it is not a message; wait on for the rest of
                // the timeout. No progress means the wait ended for the producer's state.
                if (head == before) {
                    return false;
                }
                if (timeoutNanos != WaitStrategy.FOREVER) {
                    left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return false;
                    }
                }
            }
        } finally {
            recordCondition.cancelled = null;
        }
    }

    /** @return true if the message at the head is raw bytes */
    boolean isRaw() {
        return (currentType & RAW_FLAG) != 0;
    }

    /** @return true if the message at the head is one WHOLE record */
    boolean isWhole() {
        return (currentType & KIND_MASK) == WHOLE;
    }

    /** @return the total payload length of the message at the head */
    long messageLength() {
        return isWhole() ? currentFrame - HEADER_LENGTH : region.getLong(current + HEADER_LENGTH);
    }

    /**
     * @return the WHOLE record's payload, in place: valid until {@link #consume()}
     */
    MemorySegment payload() {
        return memory.asSlice(current + HEADER_LENGTH, currentFrame - HEADER_LENGTH);
    }

    /** @return body offset of the WHOLE record's payload (for copying without a slice) */
    long payloadOffset() {
        return current + HEADER_LENGTH;
    }

    MemorySegment memory() {
        return memory;
    }

    /**
     * Reads the message at the head into a new array and consumes it: a WHOLE record copied out,
     * a fragmented message gathered as {@link #gather} does.
     *
     * @return the message, or null if it was abandoned half-way (its fragments dropped)
     * @throws IllegalStateException if the message is longer than a Java array can be
     */
    byte[] readBytes(final ProducerState producer, final java.util.function.BooleanSupplier cancelled) {
        final long length = messageLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("message too large for a byte[]: length=" + length + " file="
                + region.file());
        }
        final byte[] bytes = new byte[(int) length];
        if (isWhole()) {
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, payloadOffset(), bytes, 0, bytes.length);
            consume();
            return bytes;
        }
        return gather(MemorySegment.ofArray(bytes), 0, producer, cancelled) ? bytes : null;
    }

    /**
     * For a consumer waiting without the consumer role (a queue's consumer outside its mutex):
     * whether a record is committed at the published head.
     */
    boolean recordAtPublishedHead() {
        final long published = region.getLongVolatile(base + ByteRingLayout.HEAD_OFFSET);
        return region.getIntVolatile(data + (published & mask)) != 0;
    }

    /** Consumes the WHOLE record at the head. */
    void consume() {
        advance(currentFrame);
    }

    /**
     * Gathers the fragmented message at the head into {@code dst} (which holds at least
     * {@link #messageLength()} bytes from {@code dstOffset}), waiting for each fragment as the
     * writer produces it. Waits have no timeout: a message that has begun is either finished by
     * its writer or abandoned (writer dead, closed, or interrupted: {@code producer.isGone(true)},
     * or an ABORT record).
     *
     * @return true if the whole message was gathered; false if it was abandoned (its fragments
     *         consumed and dropped)
     */
    boolean gather(final MemorySegment dst, final long dstOffset, final ProducerState producer,
                   final java.util.function.BooleanSupplier cancelled) {
        final long total = messageLength();
        int chunk = currentFrame - HEADER_LENGTH - Long.BYTES;
        MemorySegment.copy(memory, current + HEADER_LENGTH + Long.BYTES, dst, dstOffset, chunk);
        long done = chunk;
        advance(currentFrame);
        publishHeadFenced();
        while (done < total) {
            if (!awaitFragment(producer, cancelled)) {
                return false;
            }
            final long at = data + (head & mask);
            final int frame = region.getIntAcquire(at);
            final int kind = region.getInt(at + 4) & KIND_MASK;
            if (kind == PAD) {
                advance(frame);
                continue;
            }
            if (kind != MIDDLE && kind != LAST) {
                // ABORT, or a new message: the writer gave up on this one. Leave the record.
                if (kind == ABORT) {
                    advance(frame);
                }
                return false;
            }
            chunk = frame - HEADER_LENGTH;
            if (done + chunk > total) {
                throw new IllegalStateException("corrupt fragmented message: length=" + total + " received="
                    + (done + chunk) + " file=" + region.file());
            }
            MemorySegment.copy(memory, at + HEADER_LENGTH, dst, dstOffset + done, chunk);
            done += chunk;
            advance(frame);
            publishHeadFenced();
        }
        return true;
    }

    private boolean awaitFragment(final ProducerState producer, final java.util.function.BooleanSupplier cancelled) {
        if (hasRecord()) {
            return true;
        }
        recordCondition.producer = producer;
        recordCondition.cancelled = cancelled;
        recordCondition.midMessage = true;
        strategy.awaitUninterruptibly(dataWait, recordCondition);
        recordCondition.cancelled = null;
        return hasRecord();
    }

    private void advance(final int frame) {
        head += ByteRingLayout.align(frame);
        // The sleeper count is read without a fence: it costs a load of a line the producer
        // writes only when it goes to sleep, and it wakes a sleeping producer at once in the
        // common case; the fenced publications every eighth of the ring close the race.
        if (head - lastFencedHead >= fencedPublishEvery || spaceWait.sleepers() > 0) {
            publishHeadFenced();
        } else {
            region.putLongOpaque(base + ByteRingLayout.HEAD_OFFSET, head);
        }
    }

    /** Publishes the head so that a producer asleep for room sees it (see the class comment). */
    void publishHeadFenced() {
        lastFencedHead = head;
        region.putLongVolatile(base + ByteRingLayout.HEAD_OFFSET, head);
        spaceWait.signalAll();
    }

    private final class RecordCondition implements WaitCondition {
        ProducerState producer;
        java.util.function.BooleanSupplier cancelled;
        boolean midMessage;
        private int evaluations;

        @Override
        public boolean isSatisfied() {
            if (region.getIntVolatile(data + (head & mask)) != 0) {
                return true;
            }
            // Cheap checks every time would cost the spin loop nothing, but isGone may read /proc:
            // every 8th evaluation (asleep: two evaluations per slice, so every 4 slices); the
            // producer state rate-limits its /proc reads itself.
            if ((evaluations++ & 7) != 0) {
                return false;
            }
            return cancelled.getAsBoolean() || producer.isGone(midMessage);
        }
    }
}
