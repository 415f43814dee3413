package dev.mproc.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The file's format version (or its object layout version) is newer, or otherwise other, than this library understands.
 */
public final class UnsupportedFormatVersionException extends RegionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the region file concerned
     * @param message what was wrong, with the values involved
     */
    public UnsupportedFormatVersionException(final Path file, final String message) {
        super(file, message);
    }
}
