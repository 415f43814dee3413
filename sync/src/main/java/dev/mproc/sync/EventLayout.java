package dev.mproc.sync;

/**
 * The body of an {@link Event} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------------------------+-+
 *  |        Sets: how many times the flag went up (wraps)        |F|  0
 *  +-------------------------------------------------------------+-+
 *  |                Sleepers (announced futex waiters)             |  4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |  8
 *  +---------------------------------------------------------------+ 64
 * </pre>
 * F (bit 0) is the flag. The whole word is the futex word. The set count in the upper 31 bits
 * makes every {@code set()} that raises the flag a new word value, so a waiter that saw the flag
 * down can tell that a set happened since, even if a {@code clear()} has already lowered the flag
 * again before the waiter ran.
 */
final class EventLayout {
    static final long STATE_OFFSET = 0;
    static final long SLEEPERS_OFFSET = 4;
    static final long LENGTH = 64;
    static final int LAYOUT_VERSION = 1;

    /** The flag bit of the state word. */
    static final int FLAG = 1;
    /** What a set adds to the count half of the state word. */
    static final int SET_INCREMENT = 2;

    private EventLayout() {
    }

    static boolean isSet(final int state) {
        return (state & FLAG) != 0;
    }

    /** The state after a set of {@code state}, whose flag is down: count + 1, flag up. */
    static int raised(final int state) {
        return (state + SET_INCREMENT) | FLAG;
    }

    static int lowered(final int state) {
        return state & ~FLAG;
    }
}
