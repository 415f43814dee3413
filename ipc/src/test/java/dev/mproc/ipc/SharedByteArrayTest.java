package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedByteArray: get, set, toArray and segment, initial contents, index and length errors, two
 * handles of one file, create-or-attach by name, serialisation and the shared lock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedByteArrayTest {
    private Namespace namespace;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void tearDown() {
        namespace.close();
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
    void shouldStartWithTheInitialBytesAndExposeThemAsASegment() {
        final byte[] initial = "hello".getBytes(StandardCharsets.US_ASCII);
        try (SharedByteArray array = SharedByteArray.create(namespace, initial)) {
            initial[0] = 'j';
            final MemorySegment segment = array.segment();
            assertEquals(5, segment.byteSize(), "exactly the elements, no padding");
            assertEquals(0, segment.address() % 64, "element area starts on a cache line");
            assertEquals("hello", new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 'c');
            assertEquals('c', array.get(0));
            assertEquals("cello", new String(array.toArray(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldNameIndexAndLengthWhenOutOfRange() {
        try (SharedByteArray array = SharedByteArray.create(namespace, 5)) {
            final IndexOutOfBoundsException high = assertThrows(IndexOutOfBoundsException.class, () -> array.get(5));
            assertEquals("index out of range: index=5 length=5", high.getMessage());
            final IndexOutOfBoundsException low = assertThrows(IndexOutOfBoundsException.class,
                () -> array.set(-3, (byte) 0));
            assertEquals("index out of range: index=-3 length=5", low.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SharedByteArray.create(namespace, -1));
    }

    @Test
    void shouldShareBytesBetweenHandlesAndNames() {
        try (SharedByteArray first = SharedByteArray.create(namespace, "buffer", 3);
             SharedByteArray byName = SharedByteArray.create(namespace, "buffer", new byte[] {9, 9, 9});
             SharedByteArray byFile = SharedByteArray.attach(first.file())) {
            assertArrayEquals(new byte[3], byName.toArray(), "attaching ignores the initial bytes");
            byName.set(2, (byte) 42);
            assertEquals(42, byFile.get(2));
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedByteArray.create(namespace, "buffer", 4));
            assertTrue(e.getMessage().contains(first.file().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("expected length=4") && e.getMessage().contains("actual length=3"),
                e.getMessage());
        }
    }

    @Test
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedByteArray array = SharedByteArray.create(namespace, new byte[] {1, 2});
             SharedByteArray copy = SharedTestSupport.roundTrip(array)) {
            assertArrayEquals(new byte[] {1, 2}, copy.toArray());
            copy.set(0, (byte) 5);
            assertEquals(5, array.get(0));
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedByteArray array = SharedByteArray.create(namespace, 1);
             SharedByteArray deserialised = SharedTestSupport.roundTrip(array)) {
            SharedTestSupport.assertSameLock(array.getLock(), deserialised.getLock());
        }
    }

    @Test
    void shouldFailOnUseAfterClose() {
        final SharedByteArray array = SharedByteArray.create(namespace, 1);
        array.close();
        array.close();
        assertThrows(IllegalStateException.class, () -> array.get(0));
        assertThrows(IllegalStateException.class, () -> array.segment().get(ValueLayout.JAVA_BYTE, 0));
    }
}
