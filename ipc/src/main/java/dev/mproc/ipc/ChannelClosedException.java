package dev.mproc.ipc;

import java.io.Serial;

/**
 * A queue or connection handle was used after it was closed, or a connection's peer closed its
 * end (or died) so that nothing sent could ever be received: Python's {@code ValueError: Queue is
 * closed} and {@code BrokenPipeError}. The message names the file and which of the two happened.
 */
public final class ChannelClosedException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was closed, and the file
     */
    public ChannelClosedException(final String message) {
        super(message);
    }
}
