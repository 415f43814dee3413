package dev.mproc.core;

import java.io.ObjectInputFilter;

/**
 * The per-decode deserialisation filter of {@link DefaultCodec}: enforces the codec's limits,
 * then its pattern, then the JVM-wide filter, and records why it rejected.
 *
 * <p>Why record the reason: when a filter rejects, {@link java.io.ObjectInputStream} throws an
 * {@link java.io.InvalidClassException} that says only "filter status: REJECTED"; the recorded
 * reason lets the {@link CodecException} say which limit was hit, with the values.
 *
 * <p>Why consult the JVM-wide filter here: {@code ObjectInputStream.setObjectInputFilter}
 * replaces it by default, and an administrator's {@code -Djdk.serialFilter} must still hold.
 *
 * <p>One instance per decode: the recorded reason belongs to one stream.
 */
final class LimitingSerialFilter implements ObjectInputFilter {
    /** Slack for bytes that ObjectInputStream has counted as read but not yet consumed. */
    private static final long PEEK_SLACK = 8;

    private final DefaultCodec codec;
    private final ObjectInputFilter jvmWide;
    private final long payloadSize;
    private String rejection;
    /** Named in messages when the rejected call is a back-reference, which has no class. */
    private Class<?> lastClass;

    /**
     * @param codec       whose limits and pattern apply
     * @param jvmWide     the JVM-wide filter, or {@code null} if none is set
     * @param payloadSize the size of the serialisation stream, to check primitive array lengths
     */
    LimitingSerialFilter(final DefaultCodec codec, final ObjectInputFilter jvmWide, final long payloadSize) {
        this.codec = codec;
        this.jvmWide = jvmWide;
        this.payloadSize = payloadSize;
    }

    /**
     * @return the first rejection's message, or {@code null} if nothing was rejected
     */
    String rejection() {
        return rejection;
    }

    @Override
    public Status checkInput(final FilterInfo info) {
        final Class<?> type = info.serialClass();
        if (type != null) {
            lastClass = type;
        }
        if (info.depth() > codec.maxDepth()) {
            return reject("object graph depth " + info.depth() + " exceeds maxDepth "
                + codec.maxDepth() + " (" + describe(type) + ")");
        }
        if (info.references() > codec.maxReferences()) {
            return reject("reference count " + info.references() + " exceeds maxReferences "
                + codec.maxReferences() + " (" + describe(type) + ")");
        }
        if (info.arrayLength() > codec.maxArrayLength()) {
            return reject("array length " + info.arrayLength() + " exceeds maxArrayLength "
                + codec.maxArrayLength() + " (" + describe(type) + ")");
        }
        if (info.streamBytes() > codec.maxBytes()) {
            return reject("stream size " + info.streamBytes() + " bytes exceeds maxBytes "
                + codec.maxBytes() + " (" + describe(type) + ")");
        }
        if (type != null && info.arrayLength() > 0 && type.getComponentType() != null
            && type.getComponentType().isPrimitive()) {
            // ObjectInputStream reads a primitive array's elements straight from the stream
            // (no JDK class asks the filter about a primitive array for any other reason),
            // so its data must still be in the payload. Checking this before the array is
            // allocated turns a corrupt length into an error instead of an OutOfMemoryError,
            // whatever maxArrayLength allows.
            final long needed = info.arrayLength() * primitiveSize(type.getComponentType());
            final long left = payloadSize - info.streamBytes();
            if (needed > left + PEEK_SLACK) {
                return reject("corrupt stream: " + type.getTypeName() + " of length "
                    + info.arrayLength() + " needs " + needed + " bytes but only " + left
                    + " remain of " + payloadSize);
            }
        }
        Status status = Status.UNDECIDED;
        final ObjectInputFilter patternFilter = codec.patternFilter();
        if (patternFilter != null) {
            status = patternFilter.checkInput(info);
            if (status == Status.REJECTED) {
                return reject(describe(type) + " rejected by filter pattern \""
                    + codec.filterPattern().orElseThrow() + "\"" + counters(info));
            }
        }
        if (jvmWide != null && jvmWide.checkInput(info) == Status.REJECTED) {
            return reject(describe(type) + " rejected by the JVM-wide serial filter \""
                + jvmWide + "\"" + counters(info));
        }
        return status;
    }

    private static long primitiveSize(final Class<?> component) {
        if (component == long.class || component == double.class) {
            return Long.BYTES;
        }
        if (component == int.class || component == float.class) {
            return Integer.BYTES;
        }
        if (component == short.class || component == char.class) {
            return Short.BYTES;
        }
        return 1; // byte, boolean
    }

    private Status reject(final String reason) {
        if (rejection == null) {
            rejection = "deserialisation rejected: " + reason;
        }
        return Status.REJECTED;
    }

    private String describe(final Class<?> type) {
        if (type != null) {
            return "class " + type.getTypeName();
        }
        // The filter is called without a class for a back-reference, including one to a
        // class descriptor read earlier: in a long chain of one class, every level past the
        // first is such a call, so name the class most recently read.
        return lastClass == null
            ? "at a back-reference"
            : "at a back-reference; the last class read was " + lastClass.getTypeName();
    }

    private static String counters(final FilterInfo info) {
        return " (depth " + info.depth() + ", references " + info.references()
            + ", array length " + info.arrayLength() + ", stream bytes " + info.streamBytes() + ")";
    }
}
