package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * A region file could not be created or attached. Each subclass names one failed check; every
 * message names the file and the values that did not match.
 * <p>
 * Unchecked, as {@link java.io.UncheckedIOException} is: the caller can rarely do more than report
 * it, and the subclasses let those who can tell the cases apart.
 */
public class RegionException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     * @param cause   the underlying failure, or null
     */
    public RegionException(final Path file, final String message, final Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionException(final Path file, final String message) {
        this(file, message, null);
    }

    /**
     * @return the region file concerned (null after deserialisation)
     */
    public Path file() {
        return file;
    }
}
