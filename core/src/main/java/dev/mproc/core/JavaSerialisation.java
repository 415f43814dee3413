package dev.mproc.core;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;

import static dev.mproc.core.DefaultCodecFormat.TAG_SERIALIZED;

/**
 * The fallback path of {@link DefaultCodec}: any other {@link Serializable} value, as a Java
 * serialisation stream holding exactly one object, bounded by {@code maxBytes} on encode and by
 * a {@link LimitingSerialFilter} on decode.
 *
 * <p>Why its own class: this is the one path that runs code chosen by bytes from another
 * process, so its failure handling is most of its size. Every way it can fail (not
 * serialisable, too large, filter rejection, class not found, corrupt or trailing bytes) turns
 * into a {@link CodecException} that says what happened and what to do about it.
 */
final class JavaSerialisation {

    private JavaSerialisation() {
    }

    /**
     * Appends the tag and the serialisation stream of {@code value}.
     *
     * @param value    a value no fast path takes
     * @param out      the buffer to append to
     * @param maxBytes the largest stream the receiver will accept
     * @throws CodecException if the value is not serialisable (naming the class that is not and
     *                        what to do), serialisation fails, or the stream exceeds maxBytes
     */
    static void encode(final Object value, final EncodingBuffer out, final long maxBytes) {
        if (!(value instanceof Serializable)) {
            // Fail before creating a stream: the common mistake is a plain lambda or a class
            // that was never meant to travel.
            throw notSerializable(value, value.getClass().getName());
        }
        out.putByte(TAG_SERIALIZED);
        final int payloadStart = out.length();
        try {
            final ObjectOutputStream oos = new ObjectOutputStream(out.asOutputStream());
            oos.writeObject(value);
            // Push out block data that ObjectOutputStream buffers internally; closing is not
            // needed (the buffer's stream holds no resources).
            oos.flush();
        } catch (final NotSerializableException e) {
            // The message of NotSerializableException is the offending class, which may be a
            // field's class deep inside the graph rather than the value's own.
            throw notSerializable(value, e.getMessage());
        } catch (final CodecException e) {
            throw new CodecException("cannot encode value of class " + value.getClass().getName()
                + ": " + e.getMessage(), e);
        } catch (final IOException | RuntimeException e) {
            // A custom writeObject failed, or the graph changed under us (concurrent modification).
            throw new CodecException("cannot encode value of class " + value.getClass().getName()
                + " with Java serialisation: " + e, e);
        }
        final long payload = out.length() - payloadStart;
        if (payload > maxBytes) {
            // Refuse at the sender, which can act on it, rather than leave the receiver to reject.
            throw new CodecException("cannot encode value of class " + value.getClass().getName()
                + ": serialised size " + payload + " bytes exceeds maxBytes " + maxBytes);
        }
    }

    /**
     * Rebuilds the one object in a serialised payload, under the codec's filter and loader.
     *
     * @param in    the whole input, tag {@link DefaultCodecFormat#TAG_SERIALIZED} included
     * @param codec whose limits, pattern and class loader apply
     * @return the object, never {@code null}
     * @throws CodecException if the stream is too large, rejected by the filter, names a class
     *                        that cannot be found or is incompatible, is corrupt, holds null,
     *                        or has bytes after the object
     */
    static Object decode(final MemorySegment in, final DefaultCodec codec) {
        final MemorySegment payload = in.asSlice(1);
        return decode(new SegmentInputStream(payload), payload.byteSize(), codec);
    }

    /**
     * As {@link #decode(MemorySegment, DefaultCodec)}, from a heap array.
     *
     * @param in    the whole input, tag included
     * @param codec whose limits, pattern and class loader apply
     * @return the object, never {@code null}
     */
    static Object decode(final byte[] in, final DefaultCodec codec) {
        return decode(new PayloadInputStream.OfArray(in, 1), in.length - 1L, codec);
    }

    private static Object decode(final PayloadInputStream source, final long size, final DefaultCodec codec) {
        if (size > codec.maxBytes()) {
            // Refuse before running any deserialisation code at all.
            throw new CodecException("deserialisation rejected: stream size " + size
                + " bytes exceeds maxBytes " + codec.maxBytes() + " (whole payload)");
        }
        final ClassLoader loader = codec.classLoader().orElse(null);
        final LimitingSerialFilter filter =
            new LimitingSerialFilter(codec, ObjectInputFilter.Config.getSerialFilter(), size);
        final Object value;
        try {
            final ObjectInputStream ois = new LoaderObjectInputStream(source, loader);
            ois.setObjectInputFilter(filter);
            value = ois.readObject();
        } catch (final InvalidClassException e) {
            throw failure(filter, "cannot decode serialised object: incompatible class "
                + e.classname + ": " + e.getMessage(), e);
        } catch (final ClassNotFoundException e) {
            throw failure(filter, "cannot decode serialised object: class " + e.getMessage()
                + " not found by class loader " + LoaderObjectInputStream.describeLoaders(loader), e);
        } catch (final IOException e) {
            throw failure(filter, "cannot decode serialised object: truncated or corrupt stream of "
                + size + " bytes at byte " + source.position() + " (" + e + ")", e);
        } catch (final RuntimeException e) {
            // A readObject/readResolve of some class in the graph threw on corrupt data.
            throw failure(filter, "cannot decode serialised object of " + size
                + " bytes: deserialisation code threw " + e, e);
        }
        if (value == null) {
            throw new CodecException("cannot decode serialised object: the stream of " + size
                + " bytes holds null, which DefaultCodec never encodes (corrupt input)");
        }
        if (source.remaining() != 0) {
            throw new CodecException("cannot decode serialised object of class "
                + value.getClass().getName() + ": " + source.remaining()
                + " trailing bytes after the object (expected " + source.position()
                + " bytes, got " + size + ")");
        }
        return value;
    }

    /**
     * A filter rejection surfaces as an InvalidClassException (or whatever a readObject that
     * caught it threw instead); the filter's recorded reason is the message that says which limit
     * was hit, so it wins over the generic description.
     */
    private static CodecException failure(final LimitingSerialFilter filter, final String generic,
                                          final Throwable cause) {
        final String reason = filter.rejection();
        return new CodecException(reason != null ? reason : generic, cause);
    }

    private static CodecException notSerializable(final Object value, final String offender) {
        final String valueClass = value.getClass().getName();
        final StringBuilder message = new StringBuilder("cannot encode value of class ")
            .append(valueClass).append(": ");
        if (valueClass.equals(offender)) {
            message.append("it is not serialisable");
        } else {
            message.append("it refers to class ").append(offender).append(", which is not serialisable");
        }
        message.append("; implement java.io.Serializable or pass a Codec for it");
        if (offender != null && offender.contains("$$Lambda")) {
            message.append(" (a lambda is serialisable only when its target type is: type it as "
                + "SerializableRunnable, SerializableCallable, SerializableFunction, "
                + "SerializableConsumer or SerializableSupplier)");
        }
        return new CodecException(message.toString());
    }
}
