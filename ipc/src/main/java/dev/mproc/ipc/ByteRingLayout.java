package dev.mproc.ipc;

/**
 * One direction of bytes between processes: the single-producer, single-consumer ring of records
 * inside a {@link Pipe} (one per direction) and a {@link Queue} (whose producers and consumers take
 * turns through mutexes). The block starts at a 128-byte aligned body offset of its region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Capacity: data bytes, a power of two            |   0
 *  +---------------------------------------------------------------+
 *  |        Max record: largest record, capacity / 4 or less       |   4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |   8
 *  +---------------------------------------------------------------+ 128  producer's line
 *  |   Tail: bytes ever written, published after every commit      |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 136
 *  |   Mid-message: 1 while a fragmented message is half written   |
 *  +---------------------------------------------------------------+ 140
 *  |                       Reserved (zero) ...                     |
 *  +---------------------------------------------------------------+ 256  consumer's line
 *  |   Head: bytes ever consumed, published after every record     |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 264
 *  |                       Reserved (zero) ...                     |
 *  +---------------------------------------------------------------+ 384
 *  |   Data wait word: the consumer sleeps here for a record       |
 *  +---------------------------------------------------------------+
 *  |   Data sleepers                                               |
 *  +---------------------------------------------------------------+ 392 .. 512
 *  |   Space wait word: the producer sleeps here for free space    | 512
 *  +---------------------------------------------------------------+
 *  |   Space sleepers                                              |
 *  +---------------------------------------------------------------+ 520 .. 640
 *  |   Data: capacity bytes of records                            ...| 640
 *  +---------------------------------------------------------------+
 * </pre>
 * A record starts on an 8-byte boundary of the data area:
 * <pre>
 *  +---------------------------------------------------------------+
 *  | Frame length: header + payload bytes; 0 = not yet committed   |  commit word, written last
 *  +---------------------------------------------------------------+
 *  | Type: PAD, WHOLE, FIRST, MIDDLE, LAST, ABORT; | RAW_FLAG      |
 *  +---------------------------------------------------------------+
 *  | Payload (a FIRST fragment's payload starts with the whole     |
 *  | message's length as a 64-bit value)                        ...|
 *  +---------------------------------------------------------------+
 * </pre>
 * and occupies its frame length rounded up to 8. A record never wraps: if it does not fit before
 * the end of the data area, a PAD record fills the rest and the record starts at offset 0.
 * <p>
 * The producer and consumer lines are two cache lines apart so that the adjacent-line prefetcher
 * does not make them share; neither side reads the other's position per message (the consumer
 * looks only at commit words, the producer re-reads the head only when its cached copy says the
 * ring is full): publishing a shared index that the other side polls per message cost 10-40x
 * in throughput on this hardware.
 */
final class ByteRingLayout {
    static final long CAPACITY_OFFSET = 0;
    static final long MAX_RECORD_OFFSET = 4;
    static final long TAIL_OFFSET = 128;
    static final long MID_MESSAGE_OFFSET = 136;
    static final long HEAD_OFFSET = 256;
    static final long DATA_WAIT_OFFSET = 384;
    static final long SPACE_WAIT_OFFSET = 512;
    static final long DATA_OFFSET = 640;

    /** Bytes of a record header: frame length and type. */
    static final int HEADER_LENGTH = 8;
    /** Records start and end on multiples of this. */
    static final int ALIGNMENT = 8;

    static final int PAD = 1;
    static final int WHOLE = 2;
    static final int FIRST = 3;
    static final int MIDDLE = 4;
    static final int LAST = 5;
    /** Ends a fragmented message whose writer gave up or died: readers drop what they gathered. */
    static final int ABORT = 6;
    /** Type bits naming the record kind. */
    static final int KIND_MASK = 0xFF;
    /** Set on records of a message sent as raw bytes ({@code sendBytes}) rather than encoded. */
    static final int RAW_FLAG = 0x100;

    /** Smallest data area: room for a few records of each kind. */
    static final int MIN_CAPACITY = 1024;
    /** Largest data area of one direction: 1 GiB. */
    static final int MAX_CAPACITY = 1 << 30;

    private ByteRingLayout() {
    }

    /**
     * @param capacity data bytes, a power of two
     * @return bytes the block occupies
     */
    static long length(final int capacity) {
        return DATA_OFFSET + capacity;
    }

    /**
     * @param capacity data bytes
     * @return the largest record: a quarter of the ring, so that a record plus the padding
     *         before it always fits in half of it
     */
    static int maxRecord(final int capacity) {
        return capacity / 4;
    }

    /**
     * @param requested requested data bytes
     * @return the power of two at or above it
     * @throws IllegalArgumentException if outside {@link #MIN_CAPACITY}..{@link #MAX_CAPACITY}
     */
    static int capacityFor(final long requested) {
        if (requested < MIN_CAPACITY || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity out of range: capacity=" + requested
                + " min=" + MIN_CAPACITY + " max=" + MAX_CAPACITY);
        }
        return Integer.highestOneBit((int) requested - 1) << 1;
    }

    static int align(final long frameLength) {
        return (int) ((frameLength + ALIGNMENT - 1) & -ALIGNMENT);
    }
}
