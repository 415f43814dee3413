package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The file's creator did not publish it as ready within the attach timeout.
 */
public final class RegionNotReadyException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionNotReadyException(final Path file, final String message) {
        super(file, message);
    }
}
