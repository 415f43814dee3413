package dev.mproc.ipc;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;

import static dev.mproc.ipc.ByteRingLayout.ABORT;
import static dev.mproc.ipc.ByteRingLayout.FIRST;
import static dev.mproc.ipc.ByteRingLayout.HEADER_LENGTH;
import static dev.mproc.ipc.ByteRingLayout.LAST;
import static dev.mproc.ipc.ByteRingLayout.MIDDLE;
import static dev.mproc.ipc.ByteRingLayout.PAD;
import static dev.mproc.ipc.ByteRingLayout.RAW_FLAG;
import static dev.mproc.ipc.ByteRingLayout.WHOLE;

/**
 * The producing side of a {@link ByteRingLayout} ring. One thread at a time writes through it:
 * a pipe's sending end, or the holder of a queue's producer mutex.
 */
/*
 * Algorithm.
 *
 * A record of frame length f (header + payload) occupies a = align8(f) bytes at tail. Before
 * writing, the producer makes sure that pad + a + 8 bytes are free (pad: the rest of the data
 * area when the record would cross its end), the 8 extra bytes being the header of the record
 * that will follow. It then writes the type and payload, stores 0 into that following header,
 * and only then stores the frame length into the commit word with a volatile store.
 *
 * Why zero the following header rather than have the consumer clear what it read: the consumer
 * then never writes to the data area (its lines stay shared, not modified, in its cache) and the
 * ring needs no clearing pass. A consumer reaches the following header only after reading this
 * record's commit word (acquire), which the zeroing happens-before, so it sees 0 or the next
 * record's commit, never stale bytes of an older lap.
 *
 * Why a volatile commit: the sleeping consumer announces itself and then re-reads the commit
 * word (WaitWord's protocol); the commit store must be ordered before our read of the sleeper
 * count, which only a full fence gives. It is the one fence per record on this side.
 *
 * After every commit (PAD included) the tail is published with an opaque store. A producer that
 * takes over from a dead one (a queue's producer mutex recovered) resumes from the published
 * tail, then steps over any record the dead one committed without publishing the tail: those
 * have a non-zero commit word, and the first header past them is zero.
 *
 * A fragmented message sets the mid-message word for its duration. If the writer is interrupted
 * or dies half-way, the flag stays set and the next writer starts with an ABORT record, which
 * tells the reader to drop the fragments it gathered.
 */
final class RingWriter {
    private final MappedRegion region;
    private final MemorySegment memory;
    private final long base;
    private final long data;
    private final int capacity;
    private final int mask;
    private final int maxRecord;
    private final WaitWord dataWait;
    private final WaitWord spaceWait;
    private final WaitStrategy strategy;
    private final SpaceCondition space = new SpaceCondition();
    /**
     * True when commits are made with a release store and the caller promises a full fence
     * (a volatile store) before calling {@link #signalDeferred()}: a queue's producer, whose
     * mutex release is that fence, saves one fence per put.
     */
    private final boolean deferSignal;

    private long tail;
    private long headCache;

    RingWriter(final MappedRegion region, final long base, final WaitStrategy strategy) {
        this(region, base, strategy, false);
    }

    RingWriter(final MappedRegion region, final long base, final WaitStrategy strategy, final boolean deferSignal) {
        this.deferSignal = deferSignal;
        this.region = region;
        this.memory = region.segment();
        this.base = base;
        this.data = base + ByteRingLayout.DATA_OFFSET;
        this.capacity = region.getInt(base + ByteRingLayout.CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.maxRecord = region.getInt(base + ByteRingLayout.MAX_RECORD_OFFSET);
        this.dataWait = new WaitWord(memory, base + ByteRingLayout.DATA_WAIT_OFFSET, Futex.system());
        this.spaceWait = new WaitWord(memory, base + ByteRingLayout.SPACE_WAIT_OFFSET, Futex.system());
        this.strategy = strategy;
        // Read only: a new handle holds no producer role yet. Scanning here and publishing the
        // tail (as resync() does) raced with a producer committing at the same moment: the
        // stale tail written back let the next producer overwrite a committed record. Whoever
        // takes the role over (the queue's mutex holder, a pipe end's new user) resyncs then.
        tail = region.getLongAcquire(base + ByteRingLayout.TAIL_OFFSET);
        headCache = region.getLongAcquire(base + ByteRingLayout.HEAD_OFFSET);
    }

    /** Writes a fresh ring's configuration; for a region initialiser. */
    static void initialise(final MappedRegion region, final long base, final int capacity) {
        region.putInt(base + ByteRingLayout.CAPACITY_OFFSET, capacity);
        region.putInt(base + ByteRingLayout.MAX_RECORD_OFFSET, ByteRingLayout.maxRecord(capacity));
    }

    /**
     * Reloads the position from shared memory: after taking the producer role from another
     * thread or process. Steps over records committed by a writer that died before publishing
     * its tail.
     */
    void resync() {
        resync(true);
    }

    /**
     * @param scan false when the previous producer is known to have published its tail before
     *             letting go (a live mutex holder always does): then the tail is just re-read,
     *             without touching the commit word at the tail, the line a waiting consumer polls
     */
    void resync(final boolean scan) {
        if (!scan) {
            tail = region.getLongAcquire(base + ByteRingLayout.TAIL_OFFSET);
            return;
        }
        long position = region.getLongAcquire(base + ByteRingLayout.TAIL_OFFSET);
        for (int steps = 0; steps < capacity / ByteRingLayout.ALIGNMENT; steps++) {
            final int frame = region.getIntAcquire(data + (position & mask));
            if (frame == 0) {
                break;
            }
            position += ByteRingLayout.align(frame);
        }
        if (position != tail) {
            tail = position;
            region.putLongOpaque(base + ByteRingLayout.TAIL_OFFSET, tail);
        }
        // The cached head is not re-read: the head only grows, so a stale copy under-states the
        // room and awaitSpace re-reads it when it must (reading it per message would pull the
        // consumer's line across for every record).
    }

    /** @return payload bytes of the largest unfragmented message */
    int maxWholePayload() {
        return maxRecord - HEADER_LENGTH;
    }

    /**
     * @param length payload bytes
     * @return true if a message of that length goes in one record
     */
    boolean fitsWhole(final long length) {
        return length <= maxRecord - HEADER_LENGTH;
    }

    /**
     * For a producer waiting without the producer role (a queue's producer outside its mutex):
     * the bytes free between the published tail and the published head.
     */
    long publishedFreeBytes() {
        final long publishedTail = region.getLongVolatile(base + ByteRingLayout.TAIL_OFFSET);
        return capacity - (publishedTail - region.getLongVolatile(base + ByteRingLayout.HEAD_OFFSET));
    }

    /** @return true if a fragmented message was left half written (by us, or a writer that died) */
    boolean isMidMessage() {
        return region.getIntOpaque(base + ByteRingLayout.MID_MESSAGE_OFFSET) != 0;
    }

    /**
     * Writes one message as a single record if it fits, fragments otherwise. Waits for space up
     * to {@code timeoutNanos} for the first record; once a fragmented message has started, waits
     * without a timeout for the rest (still ending early on interrupt or cancellation, which
     * leaves the message to be aborted).
     *
     * @param src          the bytes
     * @param offset       where they start in {@code src}
     * @param length       how many
     * @param raw          true for {@code sendBytes}, false for an encoded value
     * @param timeoutNanos how long to wait for room for the first record; 0 for not at all
     * @param cancelled    checked while waiting (closed handle, vanished reader)
     * @param interruptible whether waits end on interrupt
     * @return true if written; false if the first record found no room in time or the wait was
     *         cancelled before anything was written
     * @throws InterruptedException if interrupted while waiting
     * @throws CancelledWriteException if cancelled half-way through a fragmented message
     */
    boolean write(final MemorySegment src, final long offset, final long length, final boolean raw,
                  final long timeoutNanos, final BooleanSupplier cancelled, final boolean interruptible)
        throws InterruptedException {
        final int rawFlag = raw ? RAW_FLAG : 0;
        if (isMidMessage() && !writeAbort(timeoutNanos, cancelled, interruptible)) {
            return false;
        }
        if (fitsWhole(length)) {
            if (!awaitSpace(HEADER_LENGTH + length, timeoutNanos, cancelled, interruptible)) {
                return false;
            }
            writeRecord(WHOLE | rawFlag, src, offset, (int) length, -1);
            return true;
        }
        // FIRST carries the whole length; every fragment is as large as a record may be.
        final int firstChunk = maxRecord - HEADER_LENGTH - Long.BYTES;
        if (!awaitSpace(maxRecord, timeoutNanos, cancelled, interruptible)) {
            return false;
        }
        region.putIntOpaque(base + ByteRingLayout.MID_MESSAGE_OFFSET, 1);
        writeRecord(FIRST | rawFlag, src, offset, firstChunk, length);
        long done = firstChunk;
        final int chunk = maxRecord - HEADER_LENGTH;
        while (done < length) {
            final int part = (int) Math.min(chunk, length - done);
            if (!awaitSpace(HEADER_LENGTH + part, WaitStrategy.FOREVER, cancelled, interruptible)) {
                throw new CancelledWriteException();
            }
            final boolean last = done + part == length;
            writeRecord((last ? LAST : MIDDLE) | rawFlag, src, offset + done, part, -1);
            done += part;
        }
        region.putIntOpaque(base + ByteRingLayout.MID_MESSAGE_OFFSET, 0);
        return true;
    }

    private boolean writeAbort(final long timeoutNanos, final BooleanSupplier cancelled, final boolean interruptible)
        throws InterruptedException {
        if (!awaitSpace(HEADER_LENGTH, timeoutNanos, cancelled, interruptible)) {
            return false;
        }
        writeRecord(ABORT, MemorySegment.NULL, 0, 0, -1);
        region.putIntOpaque(base + ByteRingLayout.MID_MESSAGE_OFFSET, 0);
        return true;
    }

    /**
     * @param frameLength header plus payload bytes of the record to come
     * @return true once that record (with any padding before it) fits; false on timeout or cancel
     */
    boolean awaitSpace(final long frameLength, final long timeoutNanos, final BooleanSupplier cancelled,
                       final boolean interruptible) throws InterruptedException {
        final long need = needFor(frameLength);
        if (tail + need - headCache <= capacity) {
            return true;
        }
        headCache = region.getLongAcquire(base + ByteRingLayout.HEAD_OFFSET);
        if (tail + need - headCache <= capacity) {
            return true;
        }
        if (timeoutNanos <= 0 || cancelled.getAsBoolean()) {
            return false;
        }
        space.need = need;
        space.cancelled = cancelled;
        final boolean done = strategy.await(spaceWait, space, timeoutNanos, interruptible);
        space.cancelled = null;
        return done && !space.wasCancelled;
    }

    /** Free bytes needed for a record: padding to the end if it would wrap, the record, the next header. */
    private long needFor(final long frameLength) {
        final int aligned = ByteRingLayout.align(frameLength);
        final int index = (int) (tail & mask);
        final int pad = index + aligned > capacity ? capacity - index : 0;
        return pad + aligned + HEADER_LENGTH;
    }

    /** Writes one record whose space was already awaited. {@code total >= 0} marks a FIRST record. */
    private void writeRecord(final int type, final MemorySegment src, final long srcOffset, final int length,
                             final long total) {
        final int prefix = total >= 0 ? Long.BYTES : 0;
        final int frame = HEADER_LENGTH + prefix + length;
        final int aligned = ByteRingLayout.align(frame);
        int index = (int) (tail & mask);
        if (index + aligned > capacity) {
            final int pad = capacity - index;
            // The record after the pad starts at 0: clear its header before committing the pad.
            region.putLong(data, 0L);
            region.putInt(data + index + 4, PAD);
            region.putIntRelease(data + index, pad);
            tail += pad;
            region.putLongOpaque(base + ByteRingLayout.TAIL_OFFSET, tail);
            index = 0;
        }
        final long at = data + index;
        region.putInt(at + 4, type);
        if (prefix != 0) {
            region.putLong(at + HEADER_LENGTH, total);
        }
        if (length > 0) {
            MemorySegment.copy(src, srcOffset, memory, at + HEADER_LENGTH + prefix, length);
        }
        region.putLong(data + ((index + aligned) & mask), 0L);
        if (deferSignal && length < maxRecord - HEADER_LENGTH - Long.BYTES) {
            // The caller's next volatile store fences this commit before signalDeferred().
            region.putIntRelease(at, frame);
            tail += aligned;
            region.putLongOpaque(base + ByteRingLayout.TAIL_OFFSET, tail);
            return;
        }
        // Volatile: ordered before the sleeper count read in signalAll (see the class comment).
        region.putIntVolatile(at, frame);
        tail += aligned;
        region.putLongOpaque(base + ByteRingLayout.TAIL_OFFSET, tail);
        dataWait.signalAll();
    }

    /**
     * Wakes a consumer asleep for data, after records committed with a release store; the caller
     * must have made a volatile store (or CAS) since the last commit.
     */
    void signalDeferred() {
        dataWait.signalAll();
    }

    /**
     * Wakes anyone asleep on either word of the ring at {@code base}, so that they re-check their
     * conditions (a handle closed, an end gone).
     */
    static void wakeAll(final MappedRegion region, final long base) {
        for (final long offset : new long[] {ByteRingLayout.DATA_WAIT_OFFSET, ByteRingLayout.SPACE_WAIT_OFFSET}) {
            final WaitWord word = new WaitWord(region.segment(), base + offset, Futex.system());
            word.getAndAdd(1);
            word.wakeAll();
        }
    }

    private final class SpaceCondition implements WaitCondition {
        long need;
        BooleanSupplier cancelled;
        boolean wasCancelled;

        @Override
        public boolean isSatisfied() {
            headCache = region.getLongVolatile(base + ByteRingLayout.HEAD_OFFSET);
            if (tail + need - headCache <= capacity) {
                wasCancelled = false;
                return true;
            }
            wasCancelled = cancelled.getAsBoolean();
            return wasCancelled;
        }
    }

    /** Thrown when a wait for room is cancelled after a fragmented message has begun. */
    static final class CancelledWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledWriteException() {
            super(null, null, false, false);
        }
    }
}
