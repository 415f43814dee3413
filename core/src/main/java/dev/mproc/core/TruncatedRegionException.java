package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The file is shorter than its header, or shorter than the length its header declares.
 */
public final class TruncatedRegionException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public TruncatedRegionException(final Path file, final String message) {
        super(file, message);
    }
}
