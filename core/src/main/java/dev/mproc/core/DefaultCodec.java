package dev.mproc.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import static dev.mproc.core.EncodingBuffer.CHAR_LE;
import static dev.mproc.core.EncodingBuffer.DOUBLE_LE;
import static dev.mproc.core.EncodingBuffer.FLOAT_LE;
import static dev.mproc.core.EncodingBuffer.INT_LE;
import static dev.mproc.core.EncodingBuffer.LONG_LE;
import static dev.mproc.core.EncodingBuffer.SHORT_LE;

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
     * Encoding: one tag byte, then a payload whose multi-byte values are little-endian.
     *
     *   tag  type          payload
     *   0x01 byte[]        int32 n, n bytes
     *   0x02 String        int32 n, n bytes, one per char      (every char <= U+00FF)
     *   0x03 String        int32 n, n bytes of UTF-8           (otherwise, well-formed UTF-16)
     *   0x04 String        int32 n, n UTF-16 code units        (has an unpaired surrogate)
     *   0x05 Integer       int32            0x09 Short      int16
     *   0x06 Long          int64            0x0A Byte       int8
     *   0x07 Double        IEEE 754 bits    0x0B Character  UTF-16 code unit
     *   0x08 Float         IEEE 754 bits    0x0C/0x0D       Boolean false/true, no payload
     *   0x0E..0x13  int[] long[] double[] float[] short[] char[]: int32 n, n elements
     *   0x14 boolean[]     int32 n, n bytes 0 or 1
     *   0x15 other         a Java serialisation stream holding exactly one object
     *
     * Tags start at 1 so that zeroed memory (a slot never written) decodes as "unknown tag 0x00"
     * rather than as a value.
     *
     * Strings: the common case, ASCII and Latin-1, is one byte per char, written with the JDK's
     * char-to-byte copy (an arraycopy for compact strings) and read back through the ISO-8859-1
     * decoder (also an arraycopy). Other strings are UTF-8 because it is compact for the text
     * most programs send and the JDK's decoder is fast. UTF-8 cannot carry an unpaired surrogate,
     * which a Java String may hold; such a string is sent as raw UTF-16 so that every String
     * round-trips exactly.
     *
     * Decoding checks lengths before it allocates: every variable-length payload must account for
     * exactly the bytes given, so a corrupt length gives a CodecException naming the expected and
     * actual sizes instead of a huge allocation or an out-of-bounds read.
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

    private static final byte TAG_BYTES = 0x01;
    private static final byte TAG_STRING_LATIN1 = 0x02;
    private static final byte TAG_STRING_UTF8 = 0x03;
    private static final byte TAG_STRING_UTF16 = 0x04;
    private static final byte TAG_INT = 0x05;
    private static final byte TAG_LONG = 0x06;
    private static final byte TAG_DOUBLE = 0x07;
    private static final byte TAG_FLOAT = 0x08;
    private static final byte TAG_SHORT = 0x09;
    private static final byte TAG_BYTE = 0x0A;
    private static final byte TAG_CHAR = 0x0B;
    private static final byte TAG_FALSE = 0x0C;
    private static final byte TAG_TRUE = 0x0D;
    private static final byte TAG_INT_ARRAY = 0x0E;
    private static final byte TAG_LONG_ARRAY = 0x0F;
    private static final byte TAG_DOUBLE_ARRAY = 0x10;
    private static final byte TAG_FLOAT_ARRAY = 0x11;
    private static final byte TAG_SHORT_ARRAY = 0x12;
    private static final byte TAG_CHAR_ARRAY = 0x13;
    private static final byte TAG_BOOLEAN_ARRAY = 0x14;
    private static final byte TAG_SERIALIZED = 0x15;

    /** Names for error messages, indexed by tag. */
    private static final String[] TAG_NAMES = {
        null, "byte[]", "String (Latin-1)", "String (UTF-8)", "String (UTF-16)", "Integer",
        "Long", "Double", "Float", "Short", "Byte", "Character", "Boolean", "Boolean", "int[]",
        "long[]", "double[]", "float[]", "short[]", "char[]", "boolean[]", "serialised object",
    };

    /** Tag byte plus an int32 length: the header of every variable-length payload. */
    private static final int ARRAY_HEADER = 1 + Integer.BYTES;

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
            case String s -> encodeString(s, out);
            case byte[] a -> {
                out.putByte(TAG_BYTES);
                out.putInt(a.length);
                out.putBytes(a, 0, a.length);
            }
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
            case int[] a -> encodeArray(TAG_INT_ARRAY, a, a.length, INT_LE, out);
            case long[] a -> encodeArray(TAG_LONG_ARRAY, a, a.length, LONG_LE, out);
            case double[] a -> encodeArray(TAG_DOUBLE_ARRAY, a, a.length, DOUBLE_LE, out);
            case float[] a -> encodeArray(TAG_FLOAT_ARRAY, a, a.length, FLOAT_LE, out);
            case short[] a -> encodeArray(TAG_SHORT_ARRAY, a, a.length, SHORT_LE, out);
            case char[] a -> encodeArray(TAG_CHAR_ARRAY, a, a.length, CHAR_LE, out);
            case boolean[] a -> encodeBooleans(a, out);
            default -> encodeSerialized(value, out);
        }
    }

    private static void encodeArray(final byte tag, final Object array, final int count,
                                    final ValueLayout layout, final EncodingBuffer out) {
        final long bytes = (long) count * layout.byteSize();
        if (bytes > EncodingBuffer.MAX_LENGTH) {
            throw new CodecException("cannot encode " + TAG_NAMES[tag] + " of length " + count
                + ": " + bytes + " bytes exceeds maxLength " + EncodingBuffer.MAX_LENGTH);
        }
        out.putByte(tag);
        out.putInt(count);
        final int at = out.reserve((int) bytes);
        // One bulk copy; the layout's little-endian order makes the copy swap bytes on a
        // big-endian host and degenerate to a plain copy on a little-endian one.
        MemorySegment.copy(array, 0, out.heap(), layout, at, count);
    }

    private static void encodeBooleans(final boolean[] a, final EncodingBuffer out) {
        // MemorySegment.copy has no boolean layout; one byte per element, written directly.
        out.putByte(TAG_BOOLEAN_ARRAY);
        out.putInt(a.length);
        final int at = out.reserve(a.length);
        final byte[] dst = out.array();
        for (int i = 0; i < a.length; i++) {
            dst[at + i] = a[i] ? (byte) 1 : (byte) 0;
        }
    }

    private static void encodeString(final String s, final EncodingBuffer out) {
        final int n = s.length();
        int i = 0;
        // Scan for the first char above Latin-1; for ASCII and Latin-1 text the scan is the only
        // per-char work, the copy below is an arraycopy.
        while (i < n && s.charAt(i) <= 0xFF) {
            i++;
        }
        if (i == n) {
            encodeLatin1(s, out);
            return;
        }
        final long utf8Length = utf8Length(s, i);
        if (utf8Length < 0) {
            encodeUtf16(s, out);
        } else {
            encodeUtf8(s, (int) Math.min(utf8Length, Integer.MAX_VALUE), out);
        }
    }

    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exactly the copy we want
    private static void encodeLatin1(final String s, final EncodingBuffer out) {
        final int n = s.length();
        out.putByte(TAG_STRING_LATIN1);
        out.putInt(n);
        final int at = out.reserve(n);
        // Copies the low byte of each char: lossless here since every char is <= U+00FF, and a
        // plain arraycopy when the string is stored compactly (as Latin-1 strings are).
        s.getBytes(0, n, out.array(), at);
    }

    /**
     * The UTF-8 length of {@code s}, or -1 if it holds an unpaired surrogate (which UTF-8 cannot
     * represent). Chars before {@code from} are known to be Latin-1.
     */
    private static long utf8Length(final String s, final int from) {
        final int n = s.length();
        long bytes = 0;
        for (int i = 0; i < from; i++) {
            bytes += s.charAt(i) < 0x80 ? 1 : 2;
        }
        for (int i = from; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return -1;
                }
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void encodeUtf8(final String s, final int utf8Length, final EncodingBuffer out) {
        out.putByte(TAG_STRING_UTF8);
        out.putInt(utf8Length);
        // reserve() rejects a length above MAX_LENGTH (utf8Length was clamped to int for this).
        int p = out.reserve(utf8Length);
        final byte[] dst = out.array();
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xC0 | c >> 6);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                // utf8Length() proved that a low surrogate follows.
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[p++] = (byte) (0xF0 | cp >> 18);
                dst[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                dst[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                dst[p++] = (byte) (0x80 | cp & 0x3F);
            } else {
                dst[p++] = (byte) (0xE0 | c >> 12);
                dst[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private static void encodeUtf16(final String s, final EncodingBuffer out) {
        // Rare (only strings with unpaired surrogates), so per-char puts are good enough.
        final int n = s.length();
        if (2L * n > EncodingBuffer.MAX_LENGTH) {
            throw new CodecException("cannot encode String of length " + n + ": " + 2L * n
                + " bytes exceeds maxLength " + EncodingBuffer.MAX_LENGTH);
        }
        out.putByte(TAG_STRING_UTF16);
        out.putInt(n);
        for (int i = 0; i < n; i++) {
            out.putChar(s.charAt(i));
        }
    }

    private void encodeSerialized(final Object value, final EncodingBuffer out) {
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
    @Override
    public Object decode(final MemorySegment in) {
        final long size = in.byteSize();
        if (size < 1) {
            throw new CodecException("cannot decode: empty input (expected at least 1 tag byte, got 0)");
        }
        final byte tag = in.get(ValueLayout.JAVA_BYTE, 0);
        return switch (tag) {
            case TAG_BYTES -> bytesAfterHeader(in, tag);
            case TAG_STRING_LATIN1 -> new String(bytesAfterHeader(in, tag), StandardCharsets.ISO_8859_1);
            case TAG_STRING_UTF8 -> new String(bytesAfterHeader(in, tag), StandardCharsets.UTF_8);
            case TAG_STRING_UTF16 -> {
                final int n = arrayCount(in, tag, Character.BYTES);
                final char[] a = new char[n];
                MemorySegment.copy(in, CHAR_LE, ARRAY_HEADER, a, 0, n);
                yield new String(a);
            }
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
            case TAG_INT_ARRAY -> {
                final int[] a = new int[arrayCount(in, tag, Integer.BYTES)];
                MemorySegment.copy(in, INT_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_LONG_ARRAY -> {
                final long[] a = new long[arrayCount(in, tag, Long.BYTES)];
                MemorySegment.copy(in, LONG_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_DOUBLE_ARRAY -> {
                final double[] a = new double[arrayCount(in, tag, Double.BYTES)];
                MemorySegment.copy(in, DOUBLE_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_FLOAT_ARRAY -> {
                final float[] a = new float[arrayCount(in, tag, Float.BYTES)];
                MemorySegment.copy(in, FLOAT_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_SHORT_ARRAY -> {
                final short[] a = new short[arrayCount(in, tag, Short.BYTES)];
                MemorySegment.copy(in, SHORT_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_CHAR_ARRAY -> {
                final char[] a = new char[arrayCount(in, tag, Character.BYTES)];
                MemorySegment.copy(in, CHAR_LE, ARRAY_HEADER, a, 0, a.length);
                yield a;
            }
            case TAG_BOOLEAN_ARRAY -> {
                final boolean[] a = new boolean[arrayCount(in, tag, 1)];
                for (int i = 0; i < a.length; i++) {
                    // Any non-zero byte is true, as for a JNI jboolean.
                    a[i] = in.get(ValueLayout.JAVA_BYTE, ARRAY_HEADER + i) != 0;
                }
                yield a;
            }
            case TAG_SERIALIZED -> decodeSerialized(in.asSlice(1));
            default -> throw new CodecException("cannot decode: unknown tag 0x"
                + hex(tag) + " (known tags are 0x01..0x" + hex(TAG_SERIALIZED) + "; input of "
                + size + " bytes was not produced by DefaultCodec, or is corrupt)");
        };
    }

    private static void expectSize(final MemorySegment in, final byte tag, final long expected) {
        if (in.byteSize() != expected) {
            throw new CodecException(lengthMismatch(in, tag, "", expected));
        }
    }

    /**
     * Reads and validates the element count of a variable-length payload: the input must be
     * exactly the header plus {@code count * elementSize} bytes. Checked before the caller
     * allocates, so a corrupt count cannot cause a huge allocation.
     */
    private static int arrayCount(final MemorySegment in, final byte tag, final int elementSize) {
        final long size = in.byteSize();
        if (size < ARRAY_HEADER) {
            throw new CodecException("cannot decode " + TAG_NAMES[tag] + " (tag 0x" + hex(tag)
                + "): truncated input, expected at least " + ARRAY_HEADER + " bytes, got " + size);
        }
        final int count = in.get(INT_LE, 1);
        if (count < 0) {
            throw new CodecException("cannot decode " + TAG_NAMES[tag] + " (tag 0x" + hex(tag)
                + "): corrupt input, negative length " + count);
        }
        final long expected = ARRAY_HEADER + (long) count * elementSize;
        if (size != expected) {
            throw new CodecException(lengthMismatch(in, tag, " of length " + count, expected));
        }
        return count;
    }

    private static byte[] bytesAfterHeader(final MemorySegment in, final byte tag) {
        final byte[] bytes = new byte[arrayCount(in, tag, 1)];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, ARRAY_HEADER, bytes, 0, bytes.length);
        return bytes;
    }

    private static String lengthMismatch(final MemorySegment in, final byte tag,
                                         final String what, final long expected) {
        final long actual = in.byteSize();
        return "cannot decode " + TAG_NAMES[tag] + what + " (tag 0x" + hex(tag) + "): "
            + (actual < expected ? "truncated" : "overlong") + " input, expected " + expected
            + " bytes, got " + actual;
    }

    private static String hex(final byte tag) {
        return String.format("%02x", tag & 0xFF);
    }

    private Object decodeSerialized(final MemorySegment payload) {
        final long size = payload.byteSize();
        if (size > maxBytes) {
            // Refuse before running any deserialisation code at all.
            throw new CodecException("deserialisation rejected: stream size " + size
                + " bytes exceeds maxBytes " + maxBytes + " (whole payload)");
        }
        final SegmentInputStream source = new SegmentInputStream(payload);
        final LimitFilter filter =
            new LimitFilter(this, ObjectInputFilter.Config.getSerialFilter(), size);
        final Object value;
        try {
            final ObjectInputStream ois = new LoaderObjectInputStream(source, classLoader);
            ois.setObjectInputFilter(filter);
            value = ois.readObject();
        } catch (final InvalidClassException e) {
            throw failure(filter, "cannot decode serialised object: incompatible class "
                + e.classname + ": " + e.getMessage(), e);
        } catch (final ClassNotFoundException e) {
            throw failure(filter, "cannot decode serialised object: class " + e.getMessage()
                + " not found by class loader " + describeLoader(), e);
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
    private static CodecException failure(final LimitFilter filter, final String generic,
                                          final Throwable cause) {
        final String reason = filter.rejection();
        return new CodecException(reason != null ? reason : generic, cause);
    }

    private String describeLoader() {
        if (classLoader != null) {
            return classLoader.toString();
        }
        return "context " + Thread.currentThread().getContextClassLoader() + " or "
            + DefaultCodec.class.getClassLoader();
    }

    /**
     * Resolves a class by name: through the configured loader, or else the context loader and
     * then this codec's own loader (so that a worker whose context loader is the system loader
     * still finds classes that live next to mproc).
     */
    private static Class<?> resolve(final String name, final ClassLoader configured)
        throws ClassNotFoundException {
        final Class<?> primitive = primitiveClass(name);
        if (primitive != null) {
            return primitive;
        }
        if (configured != null) {
            return Class.forName(name, false, configured);
        }
        final ClassLoader own = DefaultCodec.class.getClassLoader();
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != own) {
            try {
                return Class.forName(name, false, context);
            } catch (final ClassNotFoundException e) {
                // fall through to the codec's own loader
            }
        }
        return Class.forName(name, false, own);
    }

    /** Class.forName does not know primitive types, which serialise by name (e.g. int.class). */
    private static Class<?> primitiveClass(final String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "void" -> void.class;
            default -> null;
        };
    }

    /** An ObjectInputStream that resolves classes through the codec's class loader policy. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(final InputStream in, final ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws ClassNotFoundException {
            return resolve(desc.getName(), loader);
        }
    }

    /**
     * The per-decode filter: enforces the codec's limits, then its pattern, then the JVM-wide
     * filter, and records why it rejected so that the CodecException can say so (the
     * InvalidClassException that ObjectInputStream throws says only "filter status: REJECTED").
     * One instance per decode: the recorded reason belongs to one stream.
     */
    private static final class LimitFilter implements ObjectInputFilter {
        /** Slack for bytes that ObjectInputStream has counted as read but not yet consumed. */
        private static final long PEEK_SLACK = 8;

        private final DefaultCodec codec;
        private final ObjectInputFilter jvmWide;
        private final long payloadSize;
        private String rejection;
        /** Named in messages when the rejected call is a back-reference, which has no class. */
        private Class<?> lastClass;

        LimitFilter(final DefaultCodec codec, final ObjectInputFilter jvmWide, final long payloadSize) {
            this.codec = codec;
            this.jvmWide = jvmWide;
            this.payloadSize = payloadSize;
        }

        String rejection() {
            return rejection;
        }

        @Override
        public Status checkInput(final FilterInfo info) {
            final Class<?> type = info.serialClass();
            if (type != null) {
                lastClass = type;
            }
            if (info.depth() > codec.maxDepth) {
                return reject("object graph depth " + info.depth() + " exceeds maxDepth "
                    + codec.maxDepth + " (" + describe(type) + ")");
            }
            if (info.references() > codec.maxReferences) {
                return reject("reference count " + info.references() + " exceeds maxReferences "
                    + codec.maxReferences + " (" + describe(type) + ")");
            }
            if (info.arrayLength() > codec.maxArrayLength) {
                return reject("array length " + info.arrayLength() + " exceeds maxArrayLength "
                    + codec.maxArrayLength + " (" + describe(type) + ")");
            }
            if (info.streamBytes() > codec.maxBytes) {
                return reject("stream size " + info.streamBytes() + " bytes exceeds maxBytes "
                    + codec.maxBytes + " (" + describe(type) + ")");
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
            if (codec.patternFilter != null) {
                status = codec.patternFilter.checkInput(info);
                if (status == Status.REJECTED) {
                    return reject(describe(type) + " rejected by filter pattern \""
                        + codec.filterPattern + "\"" + counters(info));
                }
            }
            // ObjectInputStream.setObjectInputFilter replaces the JVM-wide filter by default;
            // consult it here so that an administrator's -Djdk.serialFilter still holds.
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

    /** Reads a segment as a stream without copying it first; keeps no reference beyond decode. */
    private static final class SegmentInputStream extends InputStream {
        private final MemorySegment segment;
        private long position;

        SegmentInputStream(final MemorySegment segment) {
            this.segment = segment;
        }

        long position() {
            return position;
        }

        long remaining() {
            return segment.byteSize() - position;
        }

        @Override
        public int read() {
            if (position >= segment.byteSize()) {
                return -1;
            }
            return segment.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            final long left = remaining();
            if (left <= 0) {
                return -1;
            }
            final int n = (int) Math.min(len, left);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(final long n) {
            final long skipped = Math.max(0, Math.min(n, remaining()));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(remaining(), Integer.MAX_VALUE);
        }
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
