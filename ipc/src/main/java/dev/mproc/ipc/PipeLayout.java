package dev.mproc.ipc;

/**
 * The body of a {@link Pipe} region: two ends, then one {@link ByteRingLayout} ring per direction.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          Duplex: 1 if both ends send and receive, else 0      |   0
 *  +---------------------------------------------------------------+
 *  |          Capacity: data bytes of each ring                    |   4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |   8
 *  +---------------------------------------------------------------+ 128  left end
 *  |   Owner: token (pid | start time &lt;&lt; 32) of the process that  |
 *  |   last used the left end                                      |
 *  +---------------------------------------------------------------+ 136
 *  |   Handle: id of the handle that last used the left end        |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 144
 *  |   Closed: 1 once the left end was closed                      |
 *  +---------------------------------------------------------------+ 148 .. 256
 *  |   Right end: owner, handle, closed as above                   | 256
 *  +---------------------------------------------------------------+ 384
 *  |   Ring right -> left (always present)                      ...|
 *  +---------------------------------------------------------------+ 384 + ringLength
 *  |   Ring left -> right (duplex only)                         ...|
 *  +---------------------------------------------------------------+
 * </pre>
 * In a one-way pipe (Python's {@code Pipe(duplex=False)}) the left end only receives and the
 * right end only sends, so the one ring runs right to left.
 * <p>
 * The owner word tells a blocked peer whom to check for liveness: a receiver whose sender's
 * process died gets {@link java.io.EOFException} once the ring is drained, as Python's
 * {@code recv} does when the last writer's file descriptor closes. The handle word lets one
 * handle take an end over from another (in another process, or in this one) and resume from the
 * positions the previous one published.
 */
final class PipeLayout {
    static final long DUPLEX_OFFSET = 0;
    static final long CAPACITY_OFFSET = 4;
    static final long LEFT_END_OFFSET = 128;
    static final long RIGHT_END_OFFSET = 256;
    static final long END_OWNER = 0;
    static final long END_HANDLE = 8;
    static final long END_CLOSED = 16;
    static final long RIGHT_TO_LEFT_OFFSET = 384;
    static final int LAYOUT_VERSION = 1;

    private PipeLayout() {
    }

    static long leftToRightOffset(final int capacity) {
        return RIGHT_TO_LEFT_OFFSET + ByteRingLayout.length(capacity);
    }

    static long length(final boolean duplex, final int capacity) {
        return RIGHT_TO_LEFT_OFFSET + (duplex ? 2 : 1) * ByteRingLayout.length(capacity);
    }
}
