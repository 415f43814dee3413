package dev.mproc.core;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CodecFilterTest {

    private final DefaultCodec defaults = DefaultCodec.builder().build();

    /** A hand-made linked chain: each node is one level deeper in the serialised graph. */
    static final class Node implements Serializable {
        final int value;
        Node next;

        Node(final int value) {
            this.value = value;
        }

        static Node chain(final int length) {
            final Node head = new Node(0);
            Node tail = head;
            for (int i = 1; i < length; i++) {
                tail.next = new Node(i);
                tail = tail.next;
            }
            return head;
        }

        int length() {
            int n = 0;
            for (Node n0 = this; n0 != null; n0 = n0.next) {
                n++;
            }
            return n;
        }
    }

    /** Serialisable, but holds something that is not. */
    static final class Holder implements Serializable {
        final Object payload;

        Holder(final Object payload) {
            this.payload = payload;
        }
    }

    private static MemorySegment encode(final DefaultCodec codec, final Object value) {
        final EncodingBuffer buffer = new EncodingBuffer();
        codec.encode(value, buffer);
        return MemorySegment.ofArray(buffer.toByteArray());
    }

    /** The message of decoding {@code in}, which decoding the same bytes from a heap array must repeat. */
    private static String decodeFailure(final DefaultCodec codec, final MemorySegment in) {
        final String message = assertThrows(CodecException.class, () -> codec.decode(in)).getMessage();
        final byte[] bytes = in.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(message, assertThrows(CodecException.class, () -> codec.decode(bytes)).getMessage(),
            "decode(byte[]) and decode(MemorySegment) disagree");
        return message;
    }

    @Test
    void shouldRejectATooDeepGraphNamingMaxDepthAndTheValues() {
        final MemorySegment deep = encode(defaults, Node.chain(150));
        final String message = decodeFailure(defaults, deep);
        // Node's class descriptor was read at depth 1, so at depth 101 the filter sees only a
        // back-reference to it: the message names the class it last saw.
        assertEquals("deserialisation rejected: object graph depth 101 exceeds maxDepth 100 (at a "
            + "back-reference; the last class read was " + Node.class.getName() + ")", message);

        final DefaultCodec shallow = DefaultCodec.builder().maxDepth(10).build();
        assertEquals("deserialisation rejected: object graph depth 11 exceeds maxDepth 10 (at a "
            + "back-reference; the last class read was " + Node.class.getName() + ")",
            decodeFailure(shallow, encode(defaults, Node.chain(20))));

        // A graph whose deepest level is a class not seen before names that class directly.
        final ArrayList<Object> nested = new ArrayList<>();
        ArrayList<Object> level = nested;
        for (int i = 0; i < 8; i++) {
            final ArrayList<Object> inner = new ArrayList<>();
            level.add(inner);
            level = inner;
        }
        level.add(new Holder("deep"));
        final String named = decodeFailure(DefaultCodec.builder().maxDepth(9).build(), encode(defaults, nested));
        assertEquals("deserialisation rejected: object graph depth 10 exceeds maxDepth 9 (class "
            + Holder.class.getName() + ")", named);
    }

    @Test
    void shouldAcceptAGraphWithinTheDepthLimit() {
        final Node decoded = (Node) defaults.decode(encode(defaults, Node.chain(90)));
        assertEquals(90, decoded.length());
    }

    @Test
    void shouldRejectAnOversizedPayloadNamingMaxBytes() {
        final ArrayList<Object> big = new ArrayList<>(List.of(new byte[5_000], "x"));
        final MemorySegment encoded = encode(defaults, big);
        final long payload = encoded.byteSize() - 1; // minus the tag byte

        final DefaultCodec small = DefaultCodec.builder().maxBytes(1_000).build();
        assertEquals("deserialisation rejected: stream size " + payload
            + " bytes exceeds maxBytes 1000 (whole payload)", decodeFailure(small, encoded));

        // The sender learns too, and its buffer keeps only what was there before.
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putInt(7);
        final CodecException e = assertThrows(CodecException.class, () -> small.encode(big, buffer));
        assertEquals("cannot encode value of class java.util.ArrayList: serialised size " + payload
            + " bytes exceeds maxBytes 1000", e.getMessage());
        assertEquals(Integer.BYTES, buffer.length());
    }

    @Test
    void shouldRejectAnOversizedArrayNamingMaxArrayLength() {
        final DefaultCodec limited = DefaultCodec.builder().maxArrayLength(100).build();

        final MemorySegment primitive = encode(defaults, new ArrayList<>(List.of(new int[1_000])));
        assertEquals("deserialisation rejected: array length 1000 exceeds maxArrayLength 100 (class int[])",
            decodeFailure(limited, primitive));

        // ArrayList asks the filter about its own backing array before allocating it.
        final ArrayList<Integer> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(i);
        }
        assertEquals("deserialisation rejected: array length 500 exceeds maxArrayLength 100 "
            + "(class java.lang.Object[])", decodeFailure(limited, encode(defaults, many)));

        // Within the limit, fine.
        assertEquals(new ArrayList<>(List.of(1, 2)), limited.decode(encode(defaults, new ArrayList<>(List.of(1, 2)))));
    }

    @Test
    void shouldRejectTooManyReferencesNamingMaxReferences() {
        // Distinct Integers: each is a new object (Strings do not consult the filter).
        final ArrayList<Integer> strings = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            strings.add(1_000 + i);
        }
        final DefaultCodec limited = DefaultCodec.builder().maxReferences(100).build();
        final String message = decodeFailure(limited, encode(defaults, strings));
        assertTrue(message.startsWith("deserialisation rejected: reference count 101 exceeds maxReferences 100 ("),
            message);
    }

    @Test
    void shouldRejectAClassByFilterPatternNamingTheClassAndPattern() {
        final MemorySegment node = encode(defaults, Node.chain(1));

        final DefaultCodec denyNode = DefaultCodec.builder().filterPattern("!" + Node.class.getName()).build();
        final String message = decodeFailure(denyNode, node);
        assertTrue(message.startsWith("deserialisation rejected: class " + Node.class.getName()
            + " rejected by filter pattern \"!" + Node.class.getName() + "\" (depth 1,"), message);

        // An allow-list: the JDK is allowed, everything else is refused.
        final DefaultCodec jdkOnly = DefaultCodec.builder().filterPattern("java.base/*;!*").build();
        assertTrue(decodeFailure(jdkOnly, node).contains("class " + Node.class.getName()
            + " rejected by filter pattern \"java.base/*;!*\""));
        assertEquals(List.of("ok"), jdkOnly.decode(encode(defaults, new ArrayList<>(List.of("ok")))));

        final DefaultCodec allowThisPackage = DefaultCodec.builder().filterPattern("dev.mproc.core.*;!*").build();
        assertEquals(1, ((Node) allowThisPackage.decode(node)).length());
    }

    @Test
    void shouldRefuseAMalformedFilterPatternAtConfigurationTime() {
        assertThrows(IllegalArgumentException.class, () -> DefaultCodec.builder().filterPattern("maxdepth=oops"));
        assertThrows(IllegalArgumentException.class, () -> DefaultCodec.builder().maxDepth(0));
        assertThrows(IllegalArgumentException.class, () -> DefaultCodec.builder().maxArrayLength(-1));
    }

    @Test
    void shouldRefuseToEncodeANonSerializableValueNamingTheClass() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putByte((byte) 9);

        final CodecException direct = assertThrows(CodecException.class, () -> defaults.encode(new Object(), buffer));
        assertEquals("cannot encode value of class java.lang.Object: it is not serialisable; "
            + "implement java.io.Serializable or pass a Codec for it", direct.getMessage());

        final CodecException nested = assertThrows(CodecException.class,
            () -> defaults.encode(new Holder(new Thread()), buffer));
        assertEquals("cannot encode value of class " + Holder.class.getName()
            + ": it refers to class java.lang.Thread, which is not serialisable; "
            + "implement java.io.Serializable or pass a Codec for it", nested.getMessage());

        final Runnable plainLambda = () -> { };
        final String lambda = assertThrows(CodecException.class, () -> defaults.encode(plainLambda, buffer)).getMessage();
        assertTrue(lambda.contains("is not serialisable"), lambda);
        assertTrue(lambda.contains("type it as SerializableRunnable"), lambda);

        final Object notSerializable = new Object();
        final SerializableRunnable capturing = () -> notSerializable.hashCode();
        final String captured = assertThrows(CodecException.class, () -> defaults.encode(capturing, buffer)).getMessage();
        assertTrue(captured.contains("it refers to class java.lang.Object, which is not serialisable"), captured);

        // Every failure left the buffer as it was: one byte, no partial stream.
        assertArrayEquals(new byte[] {9}, buffer.toByteArray());
    }

    @Test
    void shouldRejectUnknownTagsAndEmptyInput() {
        assertEquals("cannot decode: unknown tag 0x7f (known tags are 0x01..0x15; input of 3 bytes "
                + "was not produced by DefaultCodec, or is corrupt)",
            decodeFailure(defaults, MemorySegment.ofArray(new byte[] {0x7F, 1, 2})));
        assertTrue(decodeFailure(defaults, MemorySegment.ofArray(new byte[8])).startsWith("cannot decode: unknown tag 0x00"));
        assertTrue(decodeFailure(defaults, MemorySegment.ofArray(new byte[] {(byte) 0xFF})).startsWith("cannot decode: unknown tag 0xff"));
        assertEquals("cannot decode: empty input (expected at least 1 tag byte, got 0)",
            decodeFailure(defaults, MemorySegment.ofArray(new byte[0])));
    }

    @Test
    void shouldReportExpectedAndActualLengthsForTruncatedOrOverlongInput() {
        final MemorySegment integer = encode(defaults, 42);
        assertEquals("cannot decode Integer (tag 0x05): truncated input, expected 5 bytes, got 3",
            decodeFailure(defaults, integer.asSlice(0, 3)));

        final MemorySegment hello = encode(defaults, "hello");
        assertEquals("cannot decode String (Latin-1) of length 5 (tag 0x02): truncated input, expected 10 bytes, got 9",
            decodeFailure(defaults, hello.asSlice(0, 9)));
        assertEquals("cannot decode String (Latin-1) (tag 0x02): truncated input, expected at least 5 bytes, got 2",
            decodeFailure(defaults, hello.asSlice(0, 2)));

        final byte[] longer = new byte[12];
        MemorySegment.copy(hello, 0, MemorySegment.ofArray(longer), 0, hello.byteSize());
        assertEquals("cannot decode String (Latin-1) of length 5 (tag 0x02): overlong input, expected 10 bytes, got 12",
            decodeFailure(defaults, MemorySegment.ofArray(longer)));
    }

    @Test
    void shouldRejectACorruptLengthBeforeAllocating() {
        final MemorySegment ints = MemorySegment.ofArray(new byte[] {0x0E, 0, 0, 0, 0, 1, 2, 3, 4});
        ints.set(EncodingBuffer.INT_LE, 1, Integer.MAX_VALUE);
        assertEquals("cannot decode int[] of length 2147483647 (tag 0x0e): truncated input, expected "
            + (5 + 4L * Integer.MAX_VALUE) + " bytes, got 9", decodeFailure(defaults, ints));

        ints.set(EncodingBuffer.INT_LE, 1, -1);
        assertEquals("cannot decode int[] (tag 0x0e): corrupt input, negative length -1", decodeFailure(defaults, ints));
    }

    @Test
    void shouldThrowOnlyCodecExceptionForEveryTruncationOfEveryEncoding() {
        final HashMap<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of(1, "two", 3.0)));
        map.put("array", new long[] {1, 2, 3});
        final List<Object> values = List.of(new byte[] {1, 2}, "h\u00e9llo", "\u65e5\u672c", "a\ud800",
            1, 2L, 3.0, 4.0f, (short) 5, (byte) 6, '7', true, new int[] {1, 2}, new long[] {3},
            new double[] {4}, new float[] {5}, new short[] {6}, new char[] {'7'}, new boolean[] {true},
            map, Node.chain(3));
        for (final Object value : values) {
            final MemorySegment full = encode(defaults, value);
            for (long n = 0; n < full.byteSize(); n++) {
                final MemorySegment prefix = full.asSlice(0, n);
                try {
                    final Object decoded = defaults.decode(prefix);
                    fail("decoded a " + n + "-byte prefix of the " + full.byteSize()
                        + "-byte encoding of " + value.getClass().getName() + " as " + decoded);
                } catch (final CodecException expected) {
                    assertFalse(expected.getMessage().isBlank());
                }
            }
        }
    }

    @Test
    void shouldReportATruncatedSerialisedStreamClearly() {
        final MemorySegment full = encode(defaults, new ArrayList<>(List.of("a", "b", "c")));
        final String message = decodeFailure(defaults, full.asSlice(0, full.byteSize() - 4));
        assertTrue(message.startsWith("cannot decode serialised object: truncated or corrupt stream of "
            + (full.byteSize() - 5) + " bytes at byte "), message);

        final MemorySegment withTrailing = MemorySegment.ofArray(new byte[(int) full.byteSize() + 2]);
        MemorySegment.copy(full, 0, withTrailing, 0, full.byteSize());
        assertEquals("cannot decode serialised object of class java.util.ArrayList: 2 trailing bytes "
                + "after the object (expected " + (full.byteSize() - 1) + " bytes, got " + (full.byteSize() + 1) + ")",
            decodeFailure(defaults, withTrailing));
    }

    @Test
    void shouldRejectACorruptPrimitiveArrayLengthInsteadOfRunningOutOfMemory() {
        final byte[] bytes = encode(defaults, new ArrayList<>(List.of(new long[] {7, 8}))).toArray(ValueLayout.JAVA_BYTE);
        // Java serialisation writes an array's length as a big-endian int just before its data.
        final MemorySegment s = MemorySegment.ofArray(bytes);
        long at = -1;
        for (long i = 1; i + 4 + 16 <= bytes.length; i++) {
            if (s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), i) == 2
                && s.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), i + 4) == 7) {
                at = i;
            }
        }
        assertTrue(at > 0, "found the long[] length in the stream");
        s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at, 1_000_000_000);
        final String message = decodeFailure(defaults, s);
        assertTrue(message.startsWith("deserialisation rejected: corrupt stream: long[] of length 1000000000 "
            + "needs 8000000000 bytes but only "), message);
    }

    @Test
    void shouldThrowOnlyCodecExceptionForRandomlyCorruptedStreams() {
        final DefaultCodec guarded = DefaultCodec.builder().maxArrayLength(1 << 16).build();
        final HashMap<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of(1, "two", 3.0, new int[] {4, 5})));
        map.put("node", Node.chain(4));
        final byte[] original = encode(defaults, map).toArray(ValueLayout.JAVA_BYTE);
        final Random random = new Random(20_240_601);
        int decoded = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            final byte[] corrupt = original.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                // Leave the tag alone: this exercises the serialised path.
                corrupt[1 + random.nextInt(corrupt.length - 1)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                guarded.decode(MemorySegment.ofArray(corrupt));
                decoded++;
            } catch (final CodecException expected) {
                assertFalse(expected.getMessage().isBlank());
            } catch (final RuntimeException | Error other) {
                fail("trial " + trial + " threw " + other + " instead of CodecException", other);
            }
        }
        assertTrue(decoded < 2_000, "most corruptions are detected");
    }

    @Test
    void shouldReadLimitsFromTheBuilderAndExposeThem() {
        final DefaultCodec codec = DefaultCodec.builder().maxDepth(5).maxReferences(6).maxArrayLength(7)
            .maxBytes(8).filterPattern("java.base/*").build();
        assertEquals(5, codec.maxDepth());
        assertEquals(6, codec.maxReferences());
        assertEquals(7, codec.maxArrayLength());
        assertEquals(8, codec.maxBytes());
        assertEquals("java.base/*", codec.filterPattern().orElseThrow());
        assertTrue(codec.classLoader().isEmpty());

        assertEquals(DefaultCodec.DEFAULT_MAX_DEPTH, defaults.maxDepth());
        assertEquals(10_000_000, defaults.maxReferences());
        assertEquals(Integer.MAX_VALUE - 8, defaults.maxArrayLength());
        assertEquals(1L << 30, defaults.maxBytes());
        assertTrue(defaults.filterPattern().isEmpty());
        assertInstanceOf(DefaultCodec.class, DefaultCodec.instance());
        assertSame(DefaultCodec.instance(), DefaultCodec.instance());
    }

    @Test
    void shouldReadLimitsFromSystemProperties() {
        final String[] keys = {DefaultCodec.MAX_DEPTH_PROPERTY, DefaultCodec.MAX_REFERENCES_PROPERTY,
            DefaultCodec.MAX_ARRAY_LENGTH_PROPERTY, DefaultCodec.MAX_BYTES_PROPERTY, DefaultCodec.FILTER_PROPERTY};
        final String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty(DefaultCodec.MAX_DEPTH_PROPERTY, "12");
            System.setProperty(DefaultCodec.MAX_REFERENCES_PROPERTY, "1_000");
            System.setProperty(DefaultCodec.MAX_ARRAY_LENGTH_PROPERTY, " 34 ");
            System.setProperty(DefaultCodec.MAX_BYTES_PROPERTY, "56");
            System.setProperty(DefaultCodec.FILTER_PROPERTY, "!java.lang.Thread");
            final DefaultCodec codec = DefaultCodec.fromSystemProperties();
            assertEquals(12, codec.maxDepth());
            assertEquals(1_000, codec.maxReferences());
            assertEquals(34, codec.maxArrayLength());
            assertEquals(56, codec.maxBytes());
            assertEquals("!java.lang.Thread", codec.filterPattern().orElseThrow());

            System.setProperty(DefaultCodec.MAX_DEPTH_PROPERTY, "deep");
            final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, DefaultCodec::fromSystemProperties);
            assertEquals("invalid system property mproc.codec.maxDepth=deep: expected an integer", e.getMessage());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }
}
