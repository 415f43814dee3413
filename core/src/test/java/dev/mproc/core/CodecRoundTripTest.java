package dev.mproc.core;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecRoundTripTest {

    private static final AtomicInteger RAN = new AtomicInteger();

    private final DefaultCodec codec = DefaultCodec.builder().build();

    record Point(int x, String label, List<Integer> tags) implements Serializable {
    }

    /**
     * Encodes {@code value}, decodes it from the heap buffer, from an off-heap slice at an odd
     * offset and from a byte array, checks the decodings agree in class, and returns the off-heap one.
     */
    private Object roundTrip(final Object value) {
        final EncodingBuffer buffer = new EncodingBuffer(8);
        codec.encode(value, buffer);
        final Object fromHeap = codec.decode(buffer.segment());
        final Object fromOffHeap;
        try (Arena arena = Arena.ofConfined()) {
            final long offset = 37; // deliberately unaligned
            final MemorySegment big = arena.allocate(offset + buffer.length() + 29);
            big.fill((byte) 0xA5); // garbage around the message must not be read
            buffer.copyTo(big, offset);
            fromOffHeap = codec.decode(big.asSlice(offset, buffer.length()));
        }
        final Object fromArray = codec.decode(buffer.toByteArray());
        assertSame(value.getClass(), fromHeap.getClass());
        assertSame(value.getClass(), fromOffHeap.getClass());
        assertSame(value.getClass(), fromArray.getClass());
        return fromOffHeap;
    }

    private int encodedLength(final Object value) {
        final EncodingBuffer buffer = new EncodingBuffer();
        codec.encode(value, buffer);
        return buffer.length();
    }

    @Test
    void shouldRoundTripByteArrays() {
        final byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        final byte[] large = new byte[100_000];
        new Random(42).nextBytes(large);
        for (final byte[] a : List.of(new byte[0], new byte[] {-128, 0, 127}, all, large)) {
            assertArrayEquals(a, (byte[]) roundTrip(a));
        }
        assertEquals(1 + 4 + 3, encodedLength(new byte[3]));
    }

    @Test
    void shouldRoundTripStringsInEveryEncoding() {
        final List<String> strings = List.of(
            "",
            "hello, world",
            "caf\u00e9 \u00f1 \u00ff \u0000 \u007f",   // Latin-1 including NUL and DEL
            "Gr\u00fc\u00dfe, \u043c\u0438\u0440, \u65e5\u672c\u8a9e", // 2- and 3-byte UTF-8
            "\u0100\u07ff\u0800\uffff",                 // UTF-8 length boundaries
            "\ud83d\ude00 \ud834\udd1e end",            // surrogate pairs: 4-byte UTF-8
            "\ud83d\ude00",
            "x\ud800y",                                 // unpaired high surrogate
            "\udc00",                                   // unpaired low surrogate
            "a\ud83d",                                  // high surrogate at the end
            "\ude00\ud83d",                             // pair in the wrong order
            "a".repeat(10_000) + "\u20ac");
        for (final String s : strings) {
            assertEquals(s, roundTrip(s), () -> "round trip of " + s.codePoints().boxed().toList());
        }
    }

    @Test
    void shouldEncodeLatin1OneBytePerCharAndOtherTextAsUtf8() {
        assertEquals(1 + 4, encodedLength(""));
        assertEquals(1 + 4 + 5, encodedLength("hello"));
        assertEquals(1 + 4 + 4, encodedLength("caf\u00e9"));         // Latin-1: 1 byte for \u00e9
        assertEquals(1 + 4 + 7, encodedLength("\u20acab\u00e9"));   // UTF-8: 3 + 1 + 1 + 2 bytes
        assertEquals(1 + 4 + 4, encodedLength("\ud83d\ude00"));      // one code point, 4 bytes
        assertEquals(1 + 4 + 2 * 3, encodedLength("x\ud800y"));      // UTF-16 fallback
    }

    @Test
    void shouldRoundTripBoxedPrimitivesAtTheirExtremes() {
        final List<Object> values = List.of(
            0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
            0L, Long.MIN_VALUE, Long.MAX_VALUE,
            (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
            (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE,
            'a', '\u0000', '\uffff', '\ud800',
            true, false,
            0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.NaN,
            0.0f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN);
        for (final Object v : values) {
            // equals() on Double/Float compares bits, so -0.0 vs 0.0 and NaN are checked exactly.
            assertEquals(v, roundTrip(v));
        }
        assertEquals(1 + 4, encodedLength(Integer.MAX_VALUE));
        assertEquals(1, encodedLength(Boolean.TRUE));
    }

    @Test
    void shouldPreserveNaNPayloadBits() {
        final double nan = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        final double decoded = (Double) roundTrip(nan);
        assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits(decoded));
        final float fnan = Float.intBitsToFloat(0x7fc0_1234);
        assertEquals(0x7fc0_1234, Float.floatToRawIntBits((Float) roundTrip(fnan)));
    }

    @Test
    void shouldRoundTripPrimitiveArraysIncludingEmptyAndExtremes() {
        assertArrayEquals(new int[0], (int[]) roundTrip(new int[0]));
        assertArrayEquals(new long[0], (long[]) roundTrip(new long[0]));
        assertArrayEquals(new double[0], (double[]) roundTrip(new double[0]));
        assertArrayEquals(new float[0], (float[]) roundTrip(new float[0]));
        assertArrayEquals(new short[0], (short[]) roundTrip(new short[0]));
        assertArrayEquals(new char[0], (char[]) roundTrip(new char[0]));
        assertArrayEquals(new boolean[0], (boolean[]) roundTrip(new boolean[0]));

        final int[] ints = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x01020304};
        assertArrayEquals(ints, (int[]) roundTrip(ints));
        final long[] longs = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L};
        assertArrayEquals(longs, (long[]) roundTrip(longs));
        final double[] doubles = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NEGATIVE_INFINITY, Math.PI};
        assertArrayEquals(doubles, (double[]) roundTrip(doubles));
        final float[] floats = {0.0f, -0.0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY};
        assertArrayEquals(floats, (float[]) roundTrip(floats));
        final short[] shorts = {0, -1, Short.MIN_VALUE, Short.MAX_VALUE};
        assertArrayEquals(shorts, (short[]) roundTrip(shorts));
        final char[] chars = {'a', '\u0000', '\uffff', '\ud800', '\u00e9'};
        assertArrayEquals(chars, (char[]) roundTrip(chars));
        final boolean[] booleans = {true, false, false, true, true};
        assertArrayEquals(booleans, (boolean[]) roundTrip(booleans));

        final long[] big = new Random(7).longs(50_000).toArray();
        assertArrayEquals(big, (long[]) roundTrip(big));
        assertEquals(1 + 4 + 8 * 5, encodedLength(longs));
    }

    @Test
    void shouldRoundTripRecordsAndCollectionsThroughJavaSerialisation() {
        final Point point = new Point(3, "p\u00e9", List.of(1, 2, 3));
        assertEquals(point, roundTrip(point));

        final ArrayList<Object> list = new ArrayList<>(List.of("a", 1, 2.5, 0L, point));
        list.add(null);
        assertEquals(list, roundTrip(list));

        final HashMap<String, List<Integer>> map = new HashMap<>();
        map.put("one", List.of(1));
        map.put("many", new ArrayList<>(List.of(1, 2, 3)));
        map.put("\ud83d\ude00", List.of());
        assertEquals(map, roundTrip(map));

        // Shared references survive within one message, as Java serialisation promises.
        final ArrayList<Object> shared = new ArrayList<>();
        final Point p = new Point(1, "x", List.of());
        shared.add(p);
        shared.add(p);
        @SuppressWarnings("unchecked")
        final List<Object> decoded = (List<Object>) roundTrip(shared);
        assertSame(decoded.get(0), decoded.get(1));
        assertNotSame(p, decoded.get(0));
    }

    @Test
    void shouldRoundTripSerializableLambdasThatRunAfterDecode() throws Exception {
        final int factor = 7;
        final String prefix = "x=";
        final SerializableFunction<Integer, String> function = x -> prefix + x * factor;
        @SuppressWarnings("unchecked")
        final SerializableFunction<Integer, String> decodedFunction =
            (SerializableFunction<Integer, String>) codec.decode(encode(function));
        assertEquals("x=42", decodedFunction.apply(6));

        final int amount = 5;
        final SerializableRunnable runnable = () -> RAN.addAndGet(amount);
        final int before = RAN.get();
        ((SerializableRunnable) codec.decode(encode(runnable))).run();
        assertEquals(before + amount, RAN.get());

        final List<String> captured = List.of("a", "b");
        final SerializableCallable<Integer> callable = captured::size;
        assertEquals(2, ((SerializableCallable<?>) codec.decode(encode(callable))).call());

        final SerializableSupplier<Point> supplier = () -> new Point(factor, prefix, captured.stream().map(String::length).toList());
        assertEquals(new Point(7, "x=", List.of(1, 1)),
            ((SerializableSupplier<?>) codec.decode(encode(supplier))).get());

        final SerializableConsumer<List<String>> consumer = l -> l.add(prefix);
        @SuppressWarnings("unchecked")
        final SerializableConsumer<List<String>> decodedConsumer =
            (SerializableConsumer<List<String>>) codec.decode(encode(consumer));
        final List<String> sink = new ArrayList<>();
        decodedConsumer.accept(sink);
        assertEquals(List.of("x="), sink);
    }

    private MemorySegment encode(final Object value) {
        final EncodingBuffer buffer = new EncodingBuffer();
        codec.encode(value, buffer);
        return buffer.segment();
    }

    @Test
    void shouldDecodeFromASliceOfOffHeapMemoryAndKeepNoReferenceToIt() {
        final List<Object> values = List.of("off-heap \u00e9", "\u65e5\u672c", new byte[] {1, 2, 3},
            new int[] {1, 2, 3}, 12345L, new ArrayList<>(List.of("a", "b")), new Point(1, "q", List.of(9)));
        final List<Object> decoded = new ArrayList<>();
        final EncodingBuffer buffer = new EncodingBuffer();
        try (Arena arena = Arena.ofShared()) {
            final MemorySegment shared = arena.allocate(64 * 1024);
            long offset = 13;
            final List<long[]> frames = new ArrayList<>();
            for (final Object v : values) {
                buffer.clear();
                codec.encode(v, buffer);
                buffer.copyTo(shared, offset);
                frames.add(new long[] {offset, buffer.length()});
                offset += buffer.length() + 3; // odd gaps: no value starts aligned
            }
            for (final long[] frame : frames) {
                decoded.add(codec.decode(shared.asSlice(frame[0], frame[1])));
            }
            // Overwrite the memory: a decoded value that still viewed it would change.
            shared.fill((byte) 0);
        }
        // The arena is closed: any lingering view would now throw IllegalStateException.
        assertEquals("off-heap \u00e9", decoded.get(0));
        assertEquals("\u65e5\u672c", decoded.get(1));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) decoded.get(2));
        assertArrayEquals(new int[] {1, 2, 3}, (int[]) decoded.get(3));
        assertEquals(12345L, decoded.get(4));
        assertEquals(List.of("a", "b"), decoded.get(5));
        assertEquals(new Point(1, "q", List.of(9)), decoded.get(6));
    }

    @Test
    void shouldAppendAfterExistingContentAndDecodeTheAppendedSlice() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putLong(0xCAFE_BABEL); // a caller's frame header
        codec.encode("payload", buffer);
        final int firstEnd = buffer.length();
        codec.encode(new long[] {1, 2}, buffer);

        assertEquals(0xCAFE_BABEL, buffer.segment().get(EncodingBuffer.LONG_LE, 0));
        final MemorySegment all = buffer.segment();
        assertEquals("payload", codec.decode(all.asSlice(Long.BYTES, firstEnd - Long.BYTES)));
        assertArrayEquals(new long[] {1, 2}, (long[]) codec.decode(all.asSlice(firstEnd)));
    }

    @Test
    void shouldReuseOneBufferForManyMessages() {
        final EncodingBuffer buffer = new EncodingBuffer();
        final Random random = new Random(1);
        for (int i = 0; i < 1_000; i++) {
            buffer.clear();
            final Object value = switch (i % 4) {
                case 0 -> "m" + i;
                case 1 -> random.ints(i % 50).toArray();
                case 2 -> (long) i;
                default -> new Point(i, "p", List.of(i));
            };
            codec.encode(value, buffer);
            final Object decoded = codec.decode(buffer.segment());
            if (value instanceof int[] a) {
                assertArrayEquals(a, (int[]) decoded);
            } else {
                assertEquals(value, decoded);
            }
        }
    }

    @Test
    void shouldWriteTheDocumentedLittleEndianLayout() {
        final byte[] encoded = encodeToBytes(0x01020304);
        assertArrayEquals(new byte[] {0x05, 0x04, 0x03, 0x02, 0x01}, encoded);
        final byte[] string = encodeToBytes("AB");
        assertArrayEquals(new byte[] {0x02, 2, 0, 0, 0, 'A', 'B'}, string);
        final byte[] shorts = encodeToBytes(new short[] {0x0102});
        assertArrayEquals(new byte[] {0x12, 1, 0, 0, 0, 0x02, 0x01}, shorts);
        assertEquals(0x15, encodeToBytes(new ArrayList<>())[0]);
        // The serialised form starts with the Java serialisation magic 0xACED after the tag.
        final MemorySegment s = MemorySegment.ofArray(encodeToBytes(new ArrayList<>()));
        assertEquals((byte) 0xAC, s.get(ValueLayout.JAVA_BYTE, 1));
        assertEquals((byte) 0xED, s.get(ValueLayout.JAVA_BYTE, 2));
    }

    private byte[] encodeToBytes(final Object value) {
        final EncodingBuffer buffer = new EncodingBuffer();
        codec.encode(value, buffer);
        return buffer.toByteArray();
    }

    @Test
    void shouldResolveClassesThroughTheConfiguredLoader() {
        final AtomicInteger lookups = new AtomicInteger();
        final ClassLoader parent = getClass().getClassLoader();
        final ClassLoader counting = new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
                if (name.equals(Point.class.getName())) {
                    lookups.incrementAndGet();
                }
                return super.loadClass(name, resolve);
            }
        };
        final DefaultCodec withLoader = DefaultCodec.builder().classLoader(counting).build();
        final EncodingBuffer buffer = new EncodingBuffer();
        withLoader.encode(new Point(1, "a", List.of()), buffer);
        assertEquals(new Point(1, "a", List.of()), withLoader.decode(buffer.segment()));
        assertTrue(lookups.get() > 0, "the configured loader was asked for the record class");

        // Primitive classes are not loadable by name but must still round-trip as values.
        assertEquals(Map.of("t", int.class), roundTrip(new HashMap<>(Map.of("t", int.class))));
    }
}
