package dev.mproc.sync;

/**
 * The body of a {@link Barrier} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-----------------------------------------------------------+-+-+
 *  |            Arrivals in the current generation             |P|B|  0  State, low half
 *  +-----------------------------------------------------------+-+-+
 *  |             Generation: current generation number (wraps) |  4  State, high half
 *  +---------------------------------------------------------------+
 *  |     Wake word: bumped after a generation ends or breaks       |  8
 *  +---------------------------------------------------------------+
 *  |                Sleepers (announced futex waiters)             | 12
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 16
 *  +---------------------------------------------------------------+
 *  |                    Parties (fixed at creation)                | 64
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 68
 *  +---------------------------------------------------------------+
 *  |  Outcome ring: 64 entries of 64 bits, entry g mod 64 holding  | 128
 *  |  generation g (high half) and its outcome (low half: 0 none,  |
 *  |  1 tripped, 2 broken) ...                                     |
 *  +---------------------------------------------------------------+ 640
 * </pre>
 * (Bit positions of the state are of the 64-bit value, whatever the byte order: it is only ever
 * accessed as one long, with volatile reads and CAS.) B (bit 31) means the current generation is
 * broken; P (bit 30) records how the previous generation ended (1 broken, 0 tripped), set in the
 * same CAS that started the current one, so that a waiter who wakes one generation late reads its
 * outcome from the state itself. Arrivals take the low 30 bits, which bounds the parties.
 * <p>
 * Waiters do not sleep on the state (a 64-bit CAS word cannot be a futex word with its sleeper
 * count beside it, and arrivals change it without concerning anyone waiting), but on the wake
 * word, which every generation change and every break bumps.
 */
final class BarrierLayout {
    static final long STATE_OFFSET = 0;
    static final long WAKE_OFFSET = 8;
    static final long SLEEPERS_OFFSET = 12;
    static final long PARTIES_OFFSET = 64;
    static final long RING_OFFSET = 128;
    /** Outcomes remembered: a waiter that wakes this many generations late cannot tell its own. */
    static final int RING_ENTRIES = 64;
    static final long LENGTH = RING_OFFSET + 8L * RING_ENTRIES;
    static final int LAYOUT_VERSION = 1;

    static final long BROKEN = 1L << 31;
    static final long PREVIOUS_BROKE = 1L << 30;
    static final long ARRIVALS_MASK = PREVIOUS_BROKE - 1;
    /** The most parties the arrival count can hold. */
    static final int MAX_PARTIES = (int) ARRIVALS_MASK;

    static final int OUTCOME_NONE = 0;
    static final int OUTCOME_TRIPPED = 1;
    static final int OUTCOME_BROKEN = 2;

    private BarrierLayout() {
    }

    static long state(final int generation, final boolean broken, final boolean previousBroke, final int arrivals) {
        return ((long) generation << 32) | (broken ? BROKEN : 0) | (previousBroke ? PREVIOUS_BROKE : 0) | arrivals;
    }

    static int generation(final long state) {
        return (int) (state >>> 32);
    }

    static boolean isBroken(final long state) {
        return (state & BROKEN) != 0;
    }

    static boolean previousBroke(final long state) {
        return (state & PREVIOUS_BROKE) != 0;
    }

    static int arrivals(final long state) {
        return (int) (state & ARRIVALS_MASK);
    }

    static long outcomeOffset(final int generation) {
        return RING_OFFSET + 8L * (generation & (RING_ENTRIES - 1));
    }

    static long outcomeEntry(final int generation, final int outcome) {
        return ((long) generation << 32) | (outcome & 0xFFFF_FFFFL);
    }

    static int entryGeneration(final long entry) {
        return (int) (entry >>> 32);
    }

    static int entryOutcome(final long entry) {
        return (int) entry;
    }
}
