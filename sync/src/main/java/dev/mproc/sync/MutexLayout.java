package dev.mproc.sync;

import java.nio.ByteOrder;

/**
 * The body of a {@link Lock} or {@link RLock} region.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  Owner word (64 bits, one CAS): holder pid in the low half,   |  0
 *  |  low 32 bits of the holder's start time in the high half;     |
 *  |  0 when free. The low half is the futex word.                 |
 *  +---------------------------------------------------------------+
 *  |                Sleepers (announced futex waiters)             |  8
 *  +---------------------------------------------------------------+
 *  |   Wake pending: 1 from a release's FUTEX_WAKE until a waiter  | 12
 *  |   evaluates the lock again (at most one wake in flight)       |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 16
 *  +---------------------------------------------------------------+
 *  |            Recoveries: times a dead holder was replaced       | 64
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) ...                     | 72
 *  +---------------------------------------------------------------+ 128
 * </pre>
 * The holder's identity (pid and start time) is taken with the lock in one 64-bit CAS, so there
 * is no moment at which the lock is held but its holder unknown: a waiter can always tell whether
 * the holder is still alive, and a recycled pid does not pass for the dead holder because its
 * start time differs. Which thread of the holding process holds it is process-local knowledge
 * (see {@link OwnerState}): only that process's threads can ask.
 * <p>
 * The recovery counter lives a cache line away from the owner word so that reading it for
 * diagnostics never disturbs the hot line.
 */
final class MutexLayout {
    static final long OWNER_OFFSET = 0;
    /** The futex word: the half of the owner word that holds the pid. */
    static final long FUTEX_WORD_OFFSET = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;
    static final long SLEEPERS_OFFSET = 8;
    static final long WAKE_PENDING_OFFSET = 12;
    static final long RECOVERIES_OFFSET = 64;
    static final long LENGTH = 128;
    static final int LAYOUT_VERSION = 1;

    private MutexLayout() {
    }
}
