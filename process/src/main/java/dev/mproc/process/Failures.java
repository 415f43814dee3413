package dev.mproc.process;

import dev.mproc.core.CodecException;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;

import java.lang.foreign.MemorySegment;

/**
 * Moves an exception from the process that threw it to the one that reports it. The exception
 * travels by Java serialisation, so its class, message, stack trace and causes arrive intact;
 * one that cannot be serialised travels as a {@link RemoteException} carrying the same text.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Appends an encoding of {@code failure} that {@link #decode} turns back into an exception.
     *
     * @param failure the exception to send
     * @param out     the buffer to append to
     */
    static void encode(final Throwable failure, final EncodingBuffer out) {
        final int start = out.length();
        try {
            DefaultCodec.instance().encode(failure, out);
        } catch (final CodecException | StackOverflowError e) {
            out.truncate(start);
            DefaultCodec.instance().encode(RemoteException.of(failure), out);
        }
    }

    /**
     * @param failure the exception to send
     * @return its encoding as a new array
     */
    static byte[] toBytes(final Throwable failure) {
        final EncodingBuffer buffer = new EncodingBuffer();
        encode(failure, buffer);
        return buffer.toByteArray();
    }

    /**
     * Rebuilds the exception; if even that fails (a class missing in this process), says so in a
     * {@link RemoteException} rather than losing the report.
     *
     * @param in the bytes {@link #encode} appended
     * @return the exception
     */
    static Throwable decode(final MemorySegment in) {
        try {
            final Object value = DefaultCodec.instance().decode(in);
            if (value instanceof Throwable throwable) {
                return throwable;
            }
            return new RemoteException("unknown", "not an exception: " + value.getClass().getName(), null);
        } catch (final CodecException e) {
            return new RemoteException("unknown", "the remote exception could not be decoded here: " + e.getMessage(), e);
        }
    }
}
