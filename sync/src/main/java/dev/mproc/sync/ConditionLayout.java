package dev.mproc.sync;

/**
 * The body of a {@link Condition} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     Signalled: tickets granted so far (futex word, wraps)     |  0
 *  +---------------------------------------------------------------+
 *  |                Sleepers (announced futex waiters)             |  4
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     |  8
 *  +---------------------------------------------------------------+
 *  |          Tickets: tickets handed out so far (wraps)           | 64
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 68
 *  +---------------------------------------------------------------+
 *  |             Kind code of the associated lock file             | 128
 *  +---------------------------------------------------------------+
 *  |             Length of the lock file's path (bytes)            | 132
 *  +---------------------------------------------------------------+
 *  |          The lock file's path, UTF-8, up to 3,960 bytes ...   | 136
 *  +---------------------------------------------------------------+
 *  |     Ticket states: one int per ticket modulo 1,024            | 4096
 *  |     (0 unused, 1 waiting, 2 cancelled) ...                    |
 *  +---------------------------------------------------------------+ 8192
 * </pre>
 * Tickets, signalled and ticket states are written only by threads holding the associated lock,
 * which orders them; Signalled is also read without the lock by waiters, so it is written with
 * volatile stores. The lock's path is written once at creation, so that any process attaching to
 * the condition by name finds the same lock.
 */
final class ConditionLayout {
    static final long SIGNALLED_OFFSET = 0;
    static final long SLEEPERS_OFFSET = 4;
    static final long TICKETS_OFFSET = 64;
    static final long LOCK_KIND_OFFSET = 128;
    static final long LOCK_PATH_LENGTH_OFFSET = 132;
    static final long LOCK_PATH_OFFSET = 136;
    static final int MAX_LOCK_PATH_BYTES = 4096 - 136;
    static final long TICKET_STATES_OFFSET = 4096;
    /** The most threads, over all processes, that can wait on one condition at once. */
    static final int MAX_WAITERS = 1024;
    static final long LENGTH = TICKET_STATES_OFFSET + 4L * MAX_WAITERS;
    static final int LAYOUT_VERSION = 1;

    static final int TICKET_WAITING = 1;
    static final int TICKET_CANCELLED = 2;

    private ConditionLayout() {
    }

    static long ticketStateOffset(final int ticket) {
        return TICKET_STATES_OFFSET + 4L * Math.floorMod(ticket, MAX_WAITERS);
    }
}
