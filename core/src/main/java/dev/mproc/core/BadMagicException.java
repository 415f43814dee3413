package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The file does not start with the mproc region magic: it is not an mproc region (or it is corrupted).
 */
public final class BadMagicException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public BadMagicException(final Path file, final String message) {
        super(file, message);
    }
}
