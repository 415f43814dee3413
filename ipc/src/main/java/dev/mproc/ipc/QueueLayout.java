package dev.mproc.ipc;

/**
 * The body of a {@link Queue} (or {@link JoinableQueue}, {@link SimpleQueue}) region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Capacity: data bytes of the ring                            |   0
 *  +---------------------------------------------------------------+
 *  |   Max size: most items held at once; 0 = only the ring limits |   4
 *  +---------------------------------------------------------------+
 *  |   Joinable: 1 for a JoinableQueue                             |   8
 *  +---------------------------------------------------------------+  12 .. 128
 *  |   Producer mutex (RegionMutex, two cache lines)            ...| 128
 *  +---------------------------------------------------------------+ 256  producers' line
 *  |   Put count: items ever committed                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 264 .. 384
 *  |   Consumer mutex (RegionMutex, two cache lines)            ...| 384
 *  +---------------------------------------------------------------+ 512  consumers' line
 *  |   Take count: items ever taken                                |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 520 .. 640
 *  |   Unfinished tasks (JoinableQueue; the futex word of join())  | 640
 *  +---------------------------------------------------------------+
 *  |   Unfinished sleepers                                         |
 *  +---------------------------------------------------------------+ 648 .. 768
 *  |   Ring: a ByteRingLayout block                             ...| 768
 *  +---------------------------------------------------------------+
 * </pre>
 * The two counters are written only under their side's mutex and each lives on its side's line,
 * so neither side writes a line the other writes per message; {@code size()} reads both.
 */
final class QueueLayout {
    static final long CAPACITY_OFFSET = 0;
    static final long MAX_SIZE_OFFSET = 4;
    static final long JOINABLE_OFFSET = 8;
    static final long PRODUCER_MUTEX_OFFSET = 128;
    static final long PUT_COUNT_OFFSET = 256;
    static final long CONSUMER_MUTEX_OFFSET = 384;
    static final long TAKE_COUNT_OFFSET = 512;
    static final long UNFINISHED_OFFSET = 640;
    static final long RING_OFFSET = 768;
    static final int LAYOUT_VERSION = 1;

    private QueueLayout() {
    }

    static long length(final int capacity) {
        return RING_OFFSET + ByteRingLayout.length(capacity);
    }
}
