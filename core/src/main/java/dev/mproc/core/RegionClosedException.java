package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The object was destroyed (unlinked) and must not be used any more.
 */
public final class RegionClosedException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionClosedException(final Path file, final String message) {
        super(file, message);
    }
}
