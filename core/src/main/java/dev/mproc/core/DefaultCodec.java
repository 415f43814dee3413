package dev.mproc.core;

import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.Optional;

import static dev.mproc.core.DefaultCodecFormat.TAG_BOOLEAN_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_BYTE;
import static dev.mproc.core.DefaultCodecFormat.TAG_BYTES;
import static dev.mproc.core.DefaultCodecFormat.TAG_CHAR;
import static dev.mproc.core.DefaultCodecFormat.TAG_CHAR_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_DOUBLE;
import static dev.mproc.core.DefaultCodecFormat.TAG_DOUBLE_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_FALSE;
import static dev.mproc.core.DefaultCodecFormat.TAG_FLOAT;
import static dev.mproc.core.DefaultCodecFormat.TAG_FLOAT_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_INT;
import static dev.mproc.core.DefaultCodecFormat.TAG_INT_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_LONG;
import static dev.mproc.core.DefaultCodecFormat.TAG_LONG_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_SERIALIZED;
import static dev.mproc.core.DefaultCodecFormat.TAG_SHORT;
import static dev.mproc.core.DefaultCodecFormat.TAG_SHORT_ARRAY;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_LATIN1;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_UTF16;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_UTF8;
import static dev.mproc.core.DefaultCodecFormat.TAG_TRUE;
import static dev.mproc.core.DefaultCodecFormat.hex;
import static dev.mproc.core.EncodingBuffer.CHAR_LE;
import static dev.mproc.core.EncodingBuffer.DOUBLE_LE;
import static dev.mproc.core.EncodingBuffer.FLOAT_LE;
import static dev.mproc.core.EncodingBuffer.INT_LE;
import static dev.mproc.core.EncodingBuffer.LONG_LE;
import static dev.mproc.core.EncodingBuffer.SHORT_LE;
import static dev.mproc.core.PayloadBounds.expectSize;

/**
 * The codec used when none is given: fast binary paths for the types that dominate IPC traffic,
 * and Java serialisation, behind a deserialisation filter, for everything else.
 *
 * <p>Why these fast paths: {@code byte[]}, {@code String}, boxed primitives and primitive arrays
 * are what most queues and pipes carry, and Java serialisation of them costs a stream header,
 * a class descriptor and several allocations per message. Here they cost a tag byte, a length and
 * one bulk copy. Anything else that is {@link Serializable} (records, collections, lambdas typed
 * as {@link SerializableRunnable} and friends) goes through {@link ObjectOutputStream}.
 *
 * <p>Why a filter: decoding runs a class's deserialisation code chosen by bytes that came from
 * another process, so a corrupt or hostile payload could allocate without bound or recurse until
 * the stack overflows. Every decode therefore runs under an {@link ObjectInputFilter} with limits
 * on graph depth, reference count, array length and stream size, plus an optional allow-list or
 * deny-list in {@code jdk.serialFilter} syntax. The defaults are generous (depth 100, 10 million
 * references, any array length, 1 GiB) because the peers are processes of the same user: the
 * shared files are mode 0600. A JVM-wide filter ({@code -Djdk.serialFilter}) still applies on top:
 * a class must pass both. When a limit is hit the {@link CodecException} says which one, with the
 * values, e.g. {@code "deserialisation rejected: object graph depth 101 exceeds maxDepth 100
 * (class java.util.LinkedList$Node)"}.
 *
 * <p>Configuration: {@link #builder()}, or for {@link #instance()} the system properties
 * {@value #MAX_DEPTH_PROPERTY}, {@value #MAX_REFERENCES_PROPERTY},
 * {@value #MAX_ARRAY_LENGTH_PROPERTY}, {@value #MAX_BYTES_PROPERTY} and {@value #FILTER_PROPERTY}.
 * Classes are resolved through the configured {@link ClassLoader}; without one, through the
 * decoding thread's context class loader and then this codec's own loader.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DefaultCodec implements Codec<Object> {

    /*
     * This class holds the configuration and dispatches on type (encode) and on tag (decode);
     * the work is done by package-private classes with one job each:
     *
     *   DefaultCodecFormat       the wire format: the tags and the table of their payloads
     *   PayloadBounds            length checks made before decoding allocates anything
     *   StringEncoding           String as Latin-1, UTF-8 or raw UTF-16
     *   PrimitiveArrays          byte[], int[] ... boolean[], each in one bulk copy
     *   JavaSerialisation        every other value, and the messages for its many failures
     *   LimitingSerialFilter     the per-decode ObjectInputFilter that records why it rejected
     *   LoaderObjectInputStream  resolves classes through this codec's class-loader policy
     *   SegmentInputStream       reads a serialised payload straight from shared memory
     */

    /** System property for {@link Builder#maxDepth} of {@link #instance()}. */
    public static final String MAX_DEPTH_PROPERTY = "mproc.codec.maxDepth";
    /** System property for {@link Builder#maxReferences} of {@link #instance()}. */
    public static final String MAX_REFERENCES_PROPERTY = "mproc.codec.maxReferences";
    /** System property for {@link Builder#maxArrayLength} of {@link #instance()}. */
    public static final String MAX_ARRAY_LENGTH_PROPERTY = "mproc.codec.maxArrayLength";
    /** System property for {@link Builder#maxBytes} of {@link #instance()}. */
    public static final String MAX_BYTES_PROPERTY = "mproc.codec.maxBytes";
    /** System property for {@link Builder#filterPattern} of {@link #instance()}. */
    public static final String FILTER_PROPERTY = "mproc.codec.filter";

    /** Default {@link Builder#maxDepth}: deeper than any sane object graph, far from a stack overflow. */
    public static final long DEFAULT_MAX_DEPTH = 100;
    /** Default {@link Builder#maxReferences}. */
    public static final long DEFAULT_MAX_REFERENCES = 10_000_000;
    /** Default {@link Builder#maxArrayLength}: the largest array the JVM can allocate. */
    public static final long DEFAULT_MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Default {@link Builder#maxBytes}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private static volatile DefaultCodec instance;

    private final long maxDepth;
    private final long maxReferences;
    private final long maxArrayLength;
    private final long maxBytes;
    private final String filterPattern;
    private final ObjectInputFilter patternFilter;
    private final ClassLoader classLoader;

    private DefaultCodec(final Builder builder) {
        this.maxDepth = builder.maxDepth;
        this.maxReferences = builder.maxReferences;
        this.maxArrayLength = builder.maxArrayLength;
        this.maxBytes = builder.maxBytes;
        this.filterPattern = builder.filterPattern;
        this.patternFilter = builder.patternFilter;
        this.classLoader = builder.classLoader;
    }

    /**
     * Returns the shared default codec: built-in limits, overridden by the {@code mproc.codec.*}
     * system properties as they are when this is first called.
     *
     * @return the default codec
     * @throws IllegalArgumentException if one of the system properties is malformed; the message
     *                                  names the property and its value
     */
    public static DefaultCodec instance() {
        DefaultCodec codec = instance;
        if (codec == null) {
            // Racing first callers may each build one; they are equal and immutable, so the
            // race is harmless and cheaper than a lock on every call.
            codec = fromSystemProperties();
            instance = codec;
        }
        return codec;
    }

    /**
     * Returns a builder that starts from the built-in defaults (system properties are not read).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Package-private so that tests can check the parsing without the cached instance. */
    static DefaultCodec fromSystemProperties() {
        final Builder b = builder();
        final String depth = System.getProperty(MAX_DEPTH_PROPERTY);
        if (depth != null) {
            b.maxDepth(parseLimit(MAX_DEPTH_PROPERTY, depth));
        }
        final String refs = System.getProperty(MAX_REFERENCES_PROPERTY);
        if (refs != null) {
            b.maxReferences(parseLimit(MAX_REFERENCES_PROPERTY, refs));
        }
        final String arrayLength = System.getProperty(MAX_ARRAY_LENGTH_PROPERTY);
        if (arrayLength != null) {
            b.maxArrayLength(parseLimit(MAX_ARRAY_LENGTH_PROPERTY, arrayLength));
        }
        final String bytes = System.getProperty(MAX_BYTES_PROPERTY);
        if (bytes != null) {
            b.maxBytes(parseLimit(MAX_BYTES_PROPERTY, bytes));
        }
        final String filter = System.getProperty(FILTER_PROPERTY);
        if (filter != null && !filter.isBlank()) {
            try {
                b.filterPattern(filter);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "invalid system property " + FILTER_PROPERTY + "=" + filter + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static long parseLimit(final String property, final String value) {
        try {
            // Underscores allowed, as in Java literals, so that 10_000_000 reads as written.
            return Long.parseLong(value.strip().replace("_", ""));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(
                "invalid system property " + property + "=" + value + ": expected an integer", e);
        }
    }

    /**
     * Returns the deepest object graph a decode accepts.
     *
     * @return the maximum object graph depth
     */
    public long maxDepth() {
        return maxDepth;
    }

    /**
     * Returns the most object references a decode accepts.
     *
     * @return the maximum number of object references
     */
    public long maxReferences() {
        return maxReferences;
    }

    /**
     * Returns the longest array a decode creates.
     *
     * @return the maximum array length
     */
    public long maxArrayLength() {
        return maxArrayLength;
    }

    /**
     * Returns the largest serialised payload, checked on encode and on decode.
     *
     * @return the maximum payload size in bytes
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Returns the allow-list/deny-list pattern, if one was configured.
     *
     * @return the pattern in {@code jdk.serialFilter} syntax, or empty
     */
    public Optional<String> filterPattern() {
        return Optional.ofNullable(filterPattern);
    }

    /**
     * Returns the class loader that resolves classes, if one was configured; when empty, the
     * decoding thread's context class loader is used, then this codec's own loader.
     *
     * @return the configured class loader, or empty
     */
    public Optional<ClassLoader> classLoader() {
        return Optional.ofNullable(classLoader);
    }

    @Override
    public String toString() {
        return "DefaultCodec{maxDepth=" + maxDepth + ", maxReferences=" + maxReferences
            + ", maxArrayLength=" + maxArrayLength + ", maxBytes=" + maxBytes
            + ", filterPattern=" + (filterPattern == null ? "none" : '"' + filterPattern + '"')
            + ", classLoader=" + (classLoader == null ? "context" : classLoader) + '}';
    }

    /** The pattern compiled, or {@code null}; for {@link LimitingSerialFilter}. */
    ObjectInputFilter patternFilter() {
        return patternFilter;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding
    // ------------------------------------------------------------------------------------------

    /**
     * Appends the tag and payload for {@code value}. On failure nothing is left appended.
     *
     * @throws CodecException if the value is not serialisable (the message names the class that
     *                        is not and what to do), or its encoding is too large
     */
    @Override
    public void encode(final Object value, final EncodingBuffer out) {
        Objects.requireNonNull(value, "value");
        final int start = out.length();
        try {
            encodeTagged(value, out);
        } catch (final CodecException e) {
            // Drop the partial encoding so that the caller's buffer holds only whole messages.
            out.truncate(start);
            throw e;
        }
    }

    private void encodeTagged(final Object value, final EncodingBuffer out) {
        switch (value) {
            case String s -> StringEncoding.encode(s, out);
            case byte[] a -> PrimitiveArrays.encode(a, out);
            case Integer i -> {
                out.putByte(TAG_INT);
                out.putInt(i);
            }
            case Long l -> {
                out.putByte(TAG_LONG);
                out.putLong(l);
            }
            case Double d -> {
                out.putByte(TAG_DOUBLE);
                out.putDouble(d);
            }
            case Float f -> {
                out.putByte(TAG_FLOAT);
                out.putFloat(f);
            }
            case Boolean b -> out.putByte(b ? TAG_TRUE : TAG_FALSE);
            case Short s -> {
                out.putByte(TAG_SHORT);
                out.putShort(s);
            }
            case Byte b -> {
                out.putByte(TAG_BYTE);
                out.putByte(b);
            }
            case Character c -> {
                out.putByte(TAG_CHAR);
                out.putChar(c);
            }
            case int[] a -> PrimitiveArrays.encode(a, out);
            case long[] a -> PrimitiveArrays.encode(a, out);
            case double[] a -> PrimitiveArrays.encode(a, out);
            case float[] a -> PrimitiveArrays.encode(a, out);
            case short[] a -> PrimitiveArrays.encode(a, out);
            case char[] a -> PrimitiveArrays.encode(a, out);
            case boolean[] a -> PrimitiveArrays.encode(a, out);
            default -> JavaSerialisation.encode(value, out, maxBytes);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Decoding
    // ------------------------------------------------------------------------------------------

    /**
     * Rebuilds the value from exactly the bytes one {@link #encode} appended.
     *
     * @throws CodecException if the input is empty, has an unknown tag, is truncated or too long
     *                        for its tag, or a serialised payload is corrupt, names a class that
     *                        cannot be found, or is rejected by the filter (the message says
     *                        which limit, with the values)
     */
    /**
     * Rebuilds the value from the bytes one {@link #encode} produced, held in a heap array: the
     * same as {@code decode(MemorySegment.ofArray(bytes))}, except that a serialised value is read
     * without the FFM API, whose first use in a fresh JVM costs milliseconds (a child JVM decodes
     * its task this way).
     *
     * @param bytes exactly the encoded bytes
     * @return the value
     * @throws CodecException as {@link #decode(MemorySegment)}
     */
    public Object decode(final byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == TAG_SERIALIZED) {
            return JavaSerialisation.decode(bytes, this);
        }
        return decode(MemorySegment.ofArray(bytes));
    }

    @Override
    public Object decode(final MemorySegment in) {
        final long size = in.byteSize();
        if (size < 1) {
            throw new CodecException("cannot decode: empty input (expected at least 1 tag byte, got 0)");
        }
        final byte tag = in.get(ValueLayout.JAVA_BYTE, 0);
        return switch (tag) {
            case TAG_BYTES -> PrimitiveArrays.decodeBytes(in);
            case TAG_STRING_LATIN1 -> StringEncoding.decodeLatin1(in);
            case TAG_STRING_UTF8 -> StringEncoding.decodeUtf8(in);
            case TAG_STRING_UTF16 -> StringEncoding.decodeUtf16(in);
            case TAG_INT -> {
                expectSize(in, tag, 1 + Integer.BYTES);
                yield in.get(INT_LE, 1);
            }
            case TAG_LONG -> {
                expectSize(in, tag, 1 + Long.BYTES);
                yield in.get(LONG_LE, 1);
            }
            case TAG_DOUBLE -> {
                expectSize(in, tag, 1 + Double.BYTES);
                yield in.get(DOUBLE_LE, 1);
            }
            case TAG_FLOAT -> {
                expectSize(in, tag, 1 + Float.BYTES);
                yield in.get(FLOAT_LE, 1);
            }
            case TAG_SHORT -> {
                expectSize(in, tag, 1 + Short.BYTES);
                yield in.get(SHORT_LE, 1);
            }
            case TAG_BYTE -> {
                expectSize(in, tag, 1 + Byte.BYTES);
                yield in.get(ValueLayout.JAVA_BYTE, 1);
            }
            case TAG_CHAR -> {
                expectSize(in, tag, 1 + Character.BYTES);
                yield in.get(CHAR_LE, 1);
            }
            case TAG_FALSE -> {
                expectSize(in, tag, 1);
                yield Boolean.FALSE;
            }
            case TAG_TRUE -> {
                expectSize(in, tag, 1);
                yield Boolean.TRUE;
            }
            case TAG_INT_ARRAY -> PrimitiveArrays.decodeInts(in);
            case TAG_LONG_ARRAY -> PrimitiveArrays.decodeLongs(in);
            case TAG_DOUBLE_ARRAY -> PrimitiveArrays.decodeDoubles(in);
            case TAG_FLOAT_ARRAY -> PrimitiveArrays.decodeFloats(in);
            case TAG_SHORT_ARRAY -> PrimitiveArrays.decodeShorts(in);
            case TAG_CHAR_ARRAY -> PrimitiveArrays.decodeChars(in);
            case TAG_BOOLEAN_ARRAY -> PrimitiveArrays.decodeBooleans(in);
            case TAG_SERIALIZED -> JavaSerialisation.decode(in, this);
            default -> throw new CodecException("cannot decode: unknown tag 0x"
                + hex(tag) + " (known tags are 0x01..0x" + hex(TAG_SERIALIZED) + "; input of "
                + size + " bytes was not produced by DefaultCodec, or is corrupt)");
        };
    }

    /**
     * Configures a {@link DefaultCodec}. Starts from the built-in defaults; system properties are
     * read only by {@link DefaultCodec#instance()}.
     */
    public static final class Builder {
        private long maxDepth = DEFAULT_MAX_DEPTH;
        private long maxReferences = DEFAULT_MAX_REFERENCES;
        private long maxArrayLength = DEFAULT_MAX_ARRAY_LENGTH;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private String filterPattern;
        private ObjectInputFilter patternFilter;
        private ClassLoader classLoader;

        private Builder() {
        }

        /**
         * Sets the deepest object graph a decode accepts (nesting of objects within objects).
         *
         * @param maxDepth at least 1; default {@value DefaultCodec#DEFAULT_MAX_DEPTH}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxDepth < 1}
         */
        public Builder maxDepth(final long maxDepth) {
            this.maxDepth = atLeast("maxDepth", maxDepth, 1);
            return this;
        }

        /**
         * Sets the most object references (objects and back-references) a decode accepts.
         *
         * @param maxReferences at least 1; default {@value DefaultCodec#DEFAULT_MAX_REFERENCES}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxReferences < 1}
         */
        public Builder maxReferences(final long maxReferences) {
            this.maxReferences = atLeast("maxReferences", maxReferences, 1);
            return this;
        }

        /**
         * Sets the longest array a decode creates, including arrays that collections such as
         * {@code ArrayList} and {@code HashMap} allocate while reading themselves.
         *
         * @param maxArrayLength at least 0; default {@code Integer.MAX_VALUE - 8}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxArrayLength < 0}
         */
        public Builder maxArrayLength(final long maxArrayLength) {
            this.maxArrayLength = atLeast("maxArrayLength", maxArrayLength, 0);
            return this;
        }

        /**
         * Sets the largest serialised payload, in bytes; checked when encoding (so the sender
         * learns) and when decoding (before any class is loaded).
         *
         * @param maxBytes at least 1; default 1 GiB
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes < 1}
         */
        public Builder maxBytes(final long maxBytes) {
            this.maxBytes = atLeast("maxBytes", maxBytes, 1);
            return this;
        }

        /**
         * Sets an allow-list/deny-list in {@code jdk.serialFilter} syntax, e.g.
         * {@code "com.example.**;java.base/*;!*"}, applied after the limits. Lambdas deserialise
         * through {@code java.lang.invoke.SerializedLambda}, which an allow-list must admit.
         *
         * @param pattern the pattern, or {@code null} or blank for none
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed
         */
        public Builder filterPattern(final String pattern) {
            if (pattern == null || pattern.isBlank()) {
                this.filterPattern = null;
                this.patternFilter = null;
            } else {
                // createFilter validates the syntax now, so a typo fails at configuration time.
                this.patternFilter = ObjectInputFilter.Config.createFilter(pattern);
                this.filterPattern = pattern;
            }
            return this;
        }

        /**
         * Sets the class loader that resolves classes named in serialised payloads.
         *
         * @param classLoader the loader, or {@code null} for the decoding thread's context class
         *                    loader, falling back to the codec's own loader
         * @return this builder
         */
        public Builder classLoader(final ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * Creates the codec.
         *
         * @return an immutable, thread-safe codec with this configuration
         */
        public DefaultCodec build() {
            return new DefaultCodec(this);
        }

        private static long atLeast(final String name, final long value, final long min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + name + "=" + value);
            }
            return value;
        }
    }
}
