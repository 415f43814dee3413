package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The header is inconsistent in a way no other subclass names (length or header-length mismatch).
 */
public final class RegionFormatException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public RegionFormatException(final Path file, final String message) {
        super(file, message);
    }
}
