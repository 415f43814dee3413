package dev.mproc.journal;

/**
 * Body layout of a named consumer's state region, {@code consumers/<name>.pos} in the journal
 * directory (region kind {@code JCON}): the shared claim cursor and one slot per open consumer
 * handle, listing that handle's claimed but uncommitted message indices.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |          last claimed index (long, -1 = none yet)             |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |   abandoned slots (int)       |          reserved             |  8
 * +---------------------------------------------------------------+
 * |                 slot 0 (SLOT_LENGTH bytes)                    |  16
 * |                             ...                               |
 * |                 slot SLOTS-1                                  |
 * +---------------------------------------------------------------+
 *
 * slot:
 * +---------------------------------------------------------------+
 * |  owner (long): 0 free, -1 abandoned, else the process token   |  0
 * |                                                               |
 * +---------------------------------------------------------------+
 * |   pending count (int)         |          reserved             |  8
 * +---------------------------------------------------------------+
 * |   pending index 0 (long) ... pending index MAX_PENDING-1      |  16
 * +---------------------------------------------------------------+
 * </pre>
 * The process token is core's {@code ProcessIdentity.token()} (pid and start time). An
 * <i>abandoned</i> slot belonged to a handle that closed, or to a process found dead, with claims
 * still pending; any handle adopts those claims (redelivers them) before taking new messages, and
 * the "abandoned slots" word counts such slots so that the common path need not scan. Every word is
 * written only under the consumer's lock ({@code consumers/<name>.lock}).
 */
final class ConsumerLayout {
    /** Current body layout version. */
    static final int LAYOUT_VERSION = 1;
    /** Index of the last message taken from the log by any handle, or {@link #NONE}. */
    static final long LAST_CLAIMED = 0;
    /** Number of slots whose owner is {@link #ABANDONED} (a hint, recomputed after a holder died). */
    static final long ABANDONED_SLOTS = 8;
    /** Offset of slot 0. */
    static final long SLOTS_OFFSET = 16;
    /** How many handles of one consumer name may be open at once, across all processes. */
    static final int SLOTS = 16;
    /** How many messages one handle may take before it must commit. */
    static final int MAX_PENDING = 1024;
    /** Offset of a slot's owner, from the slot's start. */
    static final long OWNER = 0;
    /** Offset of a slot's pending count, from the slot's start. */
    static final long PENDING_COUNT = 8;
    /** Offset of a slot's first pending index, from the slot's start. */
    static final long PENDING = 16;
    /** Bytes per slot. */
    static final long SLOT_LENGTH = PENDING + 8L * MAX_PENDING;
    /** Body length. */
    static final long LENGTH = SLOTS_OFFSET + SLOTS * SLOT_LENGTH;
    /** Owner of a free slot. */
    static final long FREE = 0;
    /** Owner of an abandoned slot. */
    static final long ABANDONED = -1;
    /** "No index": nothing claimed yet. */
    static final long NONE = -1;

    private ConsumerLayout() {
    }

    /**
     * @param slot a slot number
     * @return the offset of that slot in the body
     */
    static long slot(final int slot) {
        return SLOTS_OFFSET + slot * SLOT_LENGTH;
    }
}
