package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The file holds a different kind of object than the caller asked for (a queue opened as a lock).
 */
public final class KindMismatchException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public KindMismatchException(final Path file, final String message) {
        super(file, message);
    }
}
