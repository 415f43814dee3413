package dev.mproc.core;

import java.io.Serial;

/**
 * Thrown when a {@link Codec} cannot encode or decode a value.
 *
 * <p>Why unchecked: encoding happens inside {@code put}, {@code send} and {@code submit} calls
 * whose callers can rarely recover from a value that does not serialise or a payload that is
 * corrupt, and a checked exception on every such call would be noise. Why one type: callers that
 * do want to react (log and drop a message, refuse a task) need to catch only this.
 *
 * <p>The message always names what was involved: the class of the value that could not be
 * encoded, the tag that could not be decoded, or the limit that was exceeded together with the
 * values, so that the message alone is enough to act on.
 */
public final class CodecException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the class, tag or limit involved.
     *
     * @param message what could not be encoded or decoded, and why
     */
    public CodecException(final String message) {
        super(message);
    }

    /**
     * Creates an exception with a message that names the class, tag or limit involved and the
     * underlying failure.
     *
     * @param message what could not be encoded or decoded, and why
     * @param cause   the underlying failure, kept for its stack trace
     */
    public CodecException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
