package dev.mproc.sync;

/**
 * The body of a {@link Semaphore} or {@link BoundedSemaphore} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          Permits: available now, never negative (futex word)  |  0
 *  +---------------------------------------------------------------+
 *  |                Sleepers (announced futex waiters)             |  4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |  8
 *  +---------------------------------------------------------------+
 *  |    Initial permits (the bound of a BoundedSemaphore); fixed   | 64
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 68
 *  +---------------------------------------------------------------+ 128
 * </pre>
 * The permit count is itself the futex word: every change to it is what a waiter waits for, so
 * waiters sleep on it directly and a release only has to change it and wake them. The initial
 * count is written before the region is published and never changes, so it is read plainly; it
 * sits a cache line away from the hot permit word.
 */
final class SemaphoreLayout {
    static final long PERMITS_OFFSET = 0;
    static final long SLEEPERS_OFFSET = 4;
    static final long INITIAL_PERMITS_OFFSET = 64;
    static final long LENGTH = 128;
    static final int LAYOUT_VERSION = 1;

    private SemaphoreLayout() {
    }
}
