package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * Attach found no file of that name in the namespace.
 */
public final class RegionNotFoundException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionNotFoundException(final Path file, final String message) {
        super(file, message);
    }
}
