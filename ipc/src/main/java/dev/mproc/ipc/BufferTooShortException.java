package dev.mproc.ipc;

import java.io.Serial;

/**
 * {@link Connection#recvBytesInto(byte[])} received a message longer than the buffer: Python's
 * {@code BufferTooShort}. The message has been consumed from the connection; it is not lost but
 * carried here, whole, in {@link #message()}.
 */
public final class BufferTooShortException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] message;

    /**
     * @param message      the whole message received
     * @param bufferLength the room the caller offered
     */
    public BufferTooShortException(final byte[] message, final int bufferLength) {
        super("buffer too short: messageLength=" + message.length + " bufferRoom=" + bufferLength);
        this.message = message;
    }

    /** @return the whole message that did not fit (the array itself, not a copy) */
    public byte[] message() {
        return message;
    }
}
