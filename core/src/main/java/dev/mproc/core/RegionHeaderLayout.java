package dev.mproc.core;

/**
 * The header at the start of every region file: what the file is, who made it, and whether it is
 * ready to use.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "MPROCRGN" (8 ASCII bytes)              |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Format Version                         |  8
 *  +---------------------------------------------------------------+
 *  |                  Object Kind (4 ASCII bytes)                  | 12
 *  +---------------------------------------------------------------+
 *  |                  Total Length of the file (bytes)             | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Creator PID                           | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Creator Start Time                        | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     State (0 initialising, 1 ready, 2 closed), release/acquire| 40
 *  +---------------------------------------------------------------+
 *  |                  Header Length (always 4096)                  | 44
 *  +---------------------------------------------------------------+
 *  |                Object Layout Version (per kind)               | 48
 *  +---------------------------------------------------------------+
 *  |                     Reserved (zero) ...                       | 52
 *  +---------------------------------------------------------------+
 *  |                 Object body: the kind's own layout ...        | 4096
 *  +---------------------------------------------------------------+
 * </pre>
 * All fields are native byte order: a region is shared between processes of one machine only.
 * The header takes a whole page so that the body starts page-aligned (rings and arrays start on
 * a cache line, and a body can be mapped or advised on its own).
 * <p>
 * The state word is the publication point: the creator writes every other field and the body,
 * then stores {@code READY} with release semantics; an attacher reads it with acquire semantics
 * before it trusts anything else. Creation also publishes the file by an atomic {@code link(2)}
 * only after it is ready, so a reader that finds the file by name normally sees it ready at once;
 * the wait exists for files made by other means and for foreign files.
 */
public final class RegionHeaderLayout {
    /** "MPROCRGN" read as a little-endian long: the bytes in file order spell the word. */
    public static final long MAGIC = 0x4E4752434F52504DL;
    /** The header format this library writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 8;
    public static final int KIND_OFFSET = 12;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int CREATOR_PID_OFFSET = 24;
    public static final int CREATOR_START_TIME_OFFSET = 32;
    public static final int STATE_OFFSET = 40;
    public static final int HEADER_LENGTH_OFFSET = 44;
    public static final int LAYOUT_VERSION_OFFSET = 48;

    /** Length of the header; the body starts here. */
    public static final int HEADER_LENGTH = 4096;

    /** State: the creator is still writing the file. */
    public static final int STATE_INITIALISING = 0;
    /** State: the file is complete and may be used. */
    public static final int STATE_READY = 1;
    /** State: the object was destroyed; handles must stop using it. */
    public static final int STATE_CLOSED = 2;

    private RegionHeaderLayout() {
    }

    /**
     * @param state a state word
     * @return its name, for messages
     */
    public static String stateName(final int state) {
        return switch (state) {
            case STATE_INITIALISING -> "initialising";
            case STATE_READY -> "ready";
            case STATE_CLOSED -> "closed";
            default -> "unknown(" + state + ")";
        };
    }
}
