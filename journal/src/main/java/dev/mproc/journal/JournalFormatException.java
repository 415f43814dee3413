package dev.mproc.journal;

import java.io.Serial;
import java.nio.file.Path;

/**
 * A directory that is not a journal, or a journal whose files are damaged or were written with
 * settings this one does not match: the message names the directory (or file) and what is wrong.
 */
public final class JournalFormatException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The directory or file that was refused. */
    private final String path;

    /**
     * @param path    the directory or file that was refused
     * @param message what is wrong with it
     */
    public JournalFormatException(final Path path, final String message) {
        super(path + ": " + message);
        this.path = path.toString();
    }

    /**
     * @param path    the directory or file that was refused
     * @param message what is wrong with it
     * @param cause   the lower-level failure
     */
    public JournalFormatException(final Path path, final String message, final Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path.toString();
    }

    /**
     * @return the directory or file that was refused
     */
    public Path path() {
        return Path.of(path);
    }
}
