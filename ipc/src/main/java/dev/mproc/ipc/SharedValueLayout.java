package dev.mproc.ipc;

/**
 * The body of a {@link SharedInt}, {@link SharedLong} or {@link SharedDouble} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |    Value: a 64-bit long, or the raw bits of a 64-bit double,  |  0
 *  |    or a 32-bit int in the first four bytes (rest zero)        |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |  8
 *  +---------------------------------------------------------------+ 64
 * </pre>
 * The value is in native byte order and naturally aligned (the body starts on a page), so every
 * access to it can be a single atomic instruction. The value has the cache line to itself; the
 * lock that {@code getLock()} returns lives in a file of its own.
 */
final class SharedValueLayout {
    /** Offset of the value in the body. */
    static final long VALUE_OFFSET = 0;
    /** Body length: one cache line. */
    static final long LENGTH = 64;
    /** The body layout version written by this library and the newest it reads. */
    static final int LAYOUT_VERSION = 1;

    private SharedValueLayout() {
    }
}
