package dev.mproc.core;

import org.junit.jupiter.api.Test;

import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EncodingBufferTest {

    @Test
    void shouldStartEmptyWithTheRequestedCapacity() {
        final EncodingBuffer buffer = new EncodingBuffer(16);
        assertEquals(0, buffer.length());
        assertEquals(16, buffer.capacity());
        assertEquals(0, buffer.segment().byteSize());
        assertArrayEquals(new byte[0], buffer.toByteArray());
        assertEquals(EncodingBuffer.DEFAULT_CAPACITY, new EncodingBuffer().capacity());
    }

    @Test
    void shouldGrowAndKeepTheContent() {
        final EncodingBuffer buffer = new EncodingBuffer(0);
        for (int i = 0; i < 10_000; i++) {
            buffer.putByte((byte) i);
        }
        assertEquals(10_000, buffer.length());
        assertTrue(buffer.capacity() >= 10_000);
        final byte[] content = buffer.toByteArray();
        for (int i = 0; i < content.length; i++) {
            assertEquals((byte) i, content[i]);
        }
        // A single large write grows straight to what it needs.
        final EncodingBuffer direct = new EncodingBuffer(4);
        direct.putBytes(new byte[100_000]);
        assertEquals(100_000, direct.capacity());
    }

    @Test
    void shouldDoubleCapacityAndClampAtTheMaximumLength() {
        assertEquals(512, EncodingBuffer.grownCapacity(256, 257));
        assertEquals(EncodingBuffer.DEFAULT_CAPACITY, EncodingBuffer.grownCapacity(0, 1));
        assertEquals(5_000, EncodingBuffer.grownCapacity(1_000, 5_000));
        assertEquals(EncodingBuffer.MAX_LENGTH, EncodingBuffer.grownCapacity(1 << 30, (1L << 30) + 1));
        assertEquals(EncodingBuffer.MAX_LENGTH, EncodingBuffer.grownCapacity(EncodingBuffer.MAX_LENGTH - 1,
            EncodingBuffer.MAX_LENGTH));
    }

    @Test
    void shouldReuseTheSameArrayAfterClear() {
        final EncodingBuffer buffer = new EncodingBuffer(8);
        for (int i = 0; i < 100; i++) {
            buffer.putLong(i);
        }
        final byte[] grown = buffer.array();
        final int capacity = buffer.capacity();
        for (int round = 0; round < 50; round++) {
            buffer.clear();
            assertEquals(0, buffer.length());
            for (int i = 0; i < 100; i++) {
                buffer.putLong(round * 1_000L + i);
            }
            assertSame(grown, buffer.array(), "no reallocation once grown");
            assertEquals(capacity, buffer.capacity());
            assertEquals(round * 1_000L + 99, buffer.segment().get(EncodingBuffer.LONG_LE, 99 * 8));
        }
    }

    @Test
    void shouldOverwriteAReservedLengthPrefixAndRefuseWritesOutsideTheContent() {
        final EncodingBuffer buffer = new EncodingBuffer(4);
        buffer.putInt(0);
        buffer.putByte((byte) 7);
        buffer.putIntAt(0, 0x01020304);
        assertArrayEquals(new byte[] {0x04, 0x03, 0x02, 0x01, 7}, buffer.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putIntAt(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putIntAt(-1, 1));
        assertEquals(5, buffer.length());
    }

    @Test
    void shouldWriteMultiByteValuesLittleEndian() {
        final EncodingBuffer buffer = new EncodingBuffer(1);
        buffer.putShort((short) 0x0102);
        buffer.putChar('\u0304');
        buffer.putInt(0x05060708);
        buffer.putLong(0x090A0B0C0D0E0F10L);
        buffer.putFloat(Float.intBitsToFloat(0x11121314));
        buffer.putDouble(Double.longBitsToDouble(0x15161718191A1B1CL));
        buffer.putBoolean(true);
        buffer.putBoolean(false);
        buffer.putByte((byte) -1);
        assertArrayEquals(new byte[] {
            0x02, 0x01,
            0x04, 0x03,
            0x08, 0x07, 0x06, 0x05,
            0x10, 0x0F, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09,
            0x14, 0x13, 0x12, 0x11,
            0x1C, 0x1B, 0x1A, 0x19, 0x18, 0x17, 0x16, 0x15,
            1, 0, -1,
        }, buffer.toByteArray());
    }

    @Test
    void shouldAppendRangesSegmentsAndStreamWrites() throws Exception {
        final EncodingBuffer buffer = new EncodingBuffer(2);
        buffer.putBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
        buffer.putSegment(MemorySegment.ofArray(new byte[] {6, 7}));
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment offHeap = arena.allocate(3);
            offHeap.fill((byte) 8);
            buffer.putSegment(offHeap);
        }
        final OutputStream stream = buffer.asOutputStream();
        assertSame(stream, buffer.asOutputStream());
        stream.write(9);
        stream.write(new byte[] {10, 11}, 0, 2);
        assertArrayEquals(new byte[] {2, 3, 4, 6, 7, 8, 8, 8, 9, 10, 11}, buffer.toByteArray());

        // The stream view is good enough for Java serialisation.
        buffer.clear();
        try (ObjectOutputStream oos = new ObjectOutputStream(buffer.asOutputStream())) {
            oos.writeObject(List.of("a", 1));
        }
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
            assertEquals(List.of("a", 1), ois.readObject());
        }
    }

    @Test
    void shouldExposeTheContentAsASegmentAndCopyItOut() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putInt(42);
        buffer.putInt(43);
        final MemorySegment view = buffer.segment();
        assertEquals(8, view.byteSize());
        assertEquals(43, view.get(EncodingBuffer.INT_LE, 4));
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment shared = arena.allocate(64);
            buffer.copyTo(shared, 5);
            assertEquals(42, shared.get(EncodingBuffer.INT_LE, 5));
            assertEquals(43, shared.get(EncodingBuffer.INT_LE, 9));
            assertEquals(0, shared.get(ValueLayout.JAVA_BYTE, 13));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(shared, 60));
        }
    }

    @Test
    void shouldCheckBoundsAndLeaveTheBufferUnchangedOnBadArguments() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putByte((byte) 1);
        final byte[] src = new byte[4];
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(src, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(src, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(src, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.truncate(2));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.truncate(-1));
        assertThrows(IllegalArgumentException.class, () -> new EncodingBuffer(-1));
        assertEquals(1, buffer.length());

        buffer.putInt(7);
        buffer.truncate(1);
        assertArrayEquals(new byte[] {1}, buffer.toByteArray());
    }

    @Test
    void shouldRefuseToGrowBeyondTheMaximumLengthWithAClearMessage() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putLong(1);
        // A segment larger than any array: the check happens before any byte is read from it, so
        // the (never dereferenced) address does not matter.
        final MemorySegment huge = MemorySegment.NULL.reinterpret(EncodingBuffer.MAX_LENGTH);
        final CodecException e = assertThrows(CodecException.class, () -> buffer.putSegment(huge));
        assertEquals("encoding too large: length=8 adding=" + EncodingBuffer.MAX_LENGTH
            + " maxLength=" + EncodingBuffer.MAX_LENGTH, e.getMessage());
        assertEquals(8, buffer.length());
    }

    @Test
    void shouldNotAllocateOnTheHotPathOnceGrown() throws Exception {
        // Reached reflectively: module dev.mproc.core does not read java.management, and tests
        // must not change module-info.java for this.
        final Object threads;
        final Method allocatedBytes;
        try {
            threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
            allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
            assumeTrue((Long) allocatedBytes.invoke(threads) >= 0, "per-thread allocation counter enabled");
        } catch (final ReflectiveOperationException | IllegalAccessError e) {
            assumeTrue(false, "no per-thread allocation counter: " + e);
            return;
        }

        final DefaultCodec codec = DefaultCodec.instance();
        final EncodingBuffer buffer = new EncodingBuffer();
        final Object[] values = {123_456, 9_876_543_210L, 2.5, "an ASCII message", "caf\u00e9",
            "\u65e5\u672c\u8a9e", "\ud83d\ude00", new int[64], new byte[100], new boolean[9], true};
        long allocated = Long.MAX_VALUE;
        // Several rounds: the first ones run while the JIT is still compiling the path.
        for (int round = 0; round < 20 && allocated >= 1_024; round++) {
            final long before = (Long) allocatedBytes.invoke(threads);
            for (int i = 0; i < 100_000; i++) {
                buffer.clear();
                codec.encode(values[i % values.length], buffer);
                buffer.putLong(i);
            }
            allocated = (Long) allocatedBytes.invoke(threads) - before;
        }
        // A few hundred bytes are the reflective calls themselves; one allocation per encode
        // would be at least 1.6 MB.
        assertTrue(allocated < 1_024, "bytes allocated by 100,000 encodes into a grown buffer: " + allocated);
    }
}
