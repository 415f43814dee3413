package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SharedByteArray: get, set and toArray with signed and unsigned reads, initial contents and
 * byte access through the segment, create-or-attach by name with initial bytes, and
 * serialisation of the contents; the checks every array must pass are in
 * {@link SharedArrayContract} and {@link SharedHandleContract}.
 */
final class SharedByteArrayTest extends SharedArrayContract<SharedByteArray> {
    SharedByteArrayTest() {
        super(new ArrayCalls<>(SharedByteArray::create, SharedByteArray::create, SharedByteArray::attach,
            SharedByteArray::file, SharedByteArray::getLock, SharedByteArray::length, SharedByteArray::segment,
            Byte.BYTES, (array, index, value) -> array.set(index, (byte) value), SharedByteArray::get));
    }

    @Test
    void shouldGetSetAndCopyElements() {
        try (SharedByteArray array = SharedByteArray.create(namespace, 5)) {
            assertEquals(5, array.length());
            assertArrayEquals(new byte[5], array.toArray());
            array.set(0, (byte) 7);
            array.set(4, (byte) -1);
            assertEquals(7, array.get(0));
            assertEquals(-1, array.get(4));
            assertEquals(255, Byte.toUnsignedInt(array.get(4)));
            assertArrayEquals(new byte[] {7, 0, 0, 0, -1}, array.toArray());
        }
    }

    @Test
    void shouldStartWithTheInitialBytesAndExposeThemThroughTheSegment() {
        final byte[] initial = "hello".getBytes(StandardCharsets.US_ASCII);
        try (SharedByteArray array = SharedByteArray.create(namespace, initial)) {
            initial[0] = 'j';
            final MemorySegment segment = array.segment();
            assertEquals("hello", new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 'c');
            assertEquals('c', array.get(0));
            assertEquals("cello", new String(array.toArray(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialBytes() {
        try (SharedByteArray first = SharedByteArray.create(namespace, "buffer", 3);
             SharedByteArray byName = SharedByteArray.create(namespace, "buffer", new byte[] {9, 9, 9})) {
            assertArrayEquals(new byte[3], byName.toArray(), "attaching ignores the initial bytes");
            byName.set(2, (byte) 42);
            assertEquals(42, first.get(2));
        }
    }

    @Test
    void shouldKeepTheBytesThroughSerialisation() throws Exception {
        try (SharedByteArray array = SharedByteArray.create(namespace, new byte[] {1, 2});
             SharedByteArray copy = SharedTestSupport.roundTrip(array)) {
            assertArrayEquals(new byte[] {1, 2}, copy.toArray());
        }
    }
}
