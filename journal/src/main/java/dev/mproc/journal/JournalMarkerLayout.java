package dev.mproc.journal;

/**
 * Body layout of a journal's marker region, the file {@value #FILE_NAME} that {@link DurableQueue}
 * writes into a journal directory before anything else, so that a directory can be told apart from
 * a foreign one (another program's Chronicle queue, an mproc namespace of other objects) and from a
 * journal of another format version. The region header (core's {@code RegionHeaderLayout}) carries
 * the magic, the kind {@code JRNL} and the layout version; the body says which codec wrote it.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |              codec class name length in bytes (int)           |  0
 * +---------------------------------------------------------------+
 * |         codec class name, UTF-8, up to 252 bytes              |  4
 * |                             ...                               |
 * +---------------------------------------------------------------+  256
 * </pre>
 * The codec class name is {@value #UNNAMED_CODEC} for a codec whose class has no stable name (a
 * lambda or other hidden class), and then is not compared. Version 1 also fixes the Chronicle
 * settings: roll cycle {@code FAST_DAILY}, block size 64 MiB, one excerpt per message holding the
 * byte {@link #MESSAGE_TAG} then the codec's bytes.
 */
final class JournalMarkerLayout {
    /** The marker file's name in the journal directory. */
    static final String FILE_NAME = "mproc-journal";
    /** Current body layout version. */
    static final int LAYOUT_VERSION = 1;
    /** Offset of the codec class name's length. */
    static final long CODEC_NAME_LENGTH = 0;
    /** Offset of the codec class name's bytes. */
    static final long CODEC_NAME = 4;
    /** Most bytes of codec class name stored. */
    static final int MAX_CODEC_NAME_BYTES = 252;
    /** Body length. */
    static final long LENGTH = 256;
    /** Codec class name recorded for a hidden class. */
    static final String UNNAMED_CODEC = "?";
    /**
     * First byte of every excerpt this module writes: an excerpt without it was not written by a
     * {@link DurableQueue} (and Chronicle cannot hold an empty excerpt, so an empty encoding needs
     * a byte anyway).
     */
    static final byte MESSAGE_TAG = 'J';

    private JournalMarkerLayout() {
    }
}
