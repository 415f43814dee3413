package dev.mproc.journal;

import dev.mproc.core.WaitWord;

/**
 * Body layout of a journal's wake region, the file {@value #FILE_NAME} beside the marker: one
 * {@link WaitWord} through which appenders wake readers and consumers that sleep on an empty
 * journal. Chronicle's tailers have no blocking wait of their own; without this a reader must poll.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |          wake word: bumped by an appender when sleepers        |  0
 * +---------------------------------------------------------------+
 * |          sleepers: readers announced asleep on the word        |  4
 * +---------------------------------------------------------------+
 * |                 unused, to the end of the line                 |  8
 * |                             ...                               |
 * +---------------------------------------------------------------+  64
 * </pre>
 * The word is on a cache line of its own, in a file of its own, so that appenders, which read the
 * sleeper count after every append, share nothing else with the readers that write it.
 * The region is created when a journal is first opened by a version that knows it, so a journal
 * written before it existed simply gains it.
 */
final class JournalWakeLayout {
    /** The wake file's name in the journal directory. */
    static final String FILE_NAME = "mproc-journal-wake";
    /** Current body layout version. */
    static final int LAYOUT_VERSION = 1;
    /** Offset of the wait word (its sleeper count follows). */
    static final long WAKE_WORD = 0;
    /** Body length: one cache line. */
    static final long LENGTH = 64;

    private JournalWakeLayout() {
    }
}
