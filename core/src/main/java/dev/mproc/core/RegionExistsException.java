package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * An exclusive create found a file of that name already in the namespace.
 */
public final class RegionExistsException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionExistsException(final Path file, final String message) {
        super(file, message);
    }
}
