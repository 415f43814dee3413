package dev.mproc.ipc;

/**
 * The body of a {@link SharedMemory} region: nothing but the user's bytes.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Data: size bytes, zeroed at creation ...      |  0
 *  +---------------------------------------------------------------+ size
 * </pre>
 * The size is not stored in the body: it is the region's total length (in the region header)
 * less the header, so the body is exactly the requested bytes, with no padding a user could
 * mistake for data. The body starts at file offset 4096, the end of the one-page region header,
 * so the data is page-aligned in every mapping and a user can lay structures of any alignment
 * over it.
 */
final class SharedMemoryLayout {
    /** Offset of the data in the body. */
    static final long DATA_OFFSET = 0;
    /** The body layout version written by this library and the newest it reads. */
    static final int LAYOUT_VERSION = 1;

    private SharedMemoryLayout() {
    }
}
