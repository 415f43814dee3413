package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedLongArray: every operation's result, initial contents, the element segment, index and
 * length errors, two handles of one file, create-or-attach by name, serialisation, the shared
 * lock, and exact counting under contention.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedLongArrayTest {
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
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedLongArray array = SharedLongArray.create(namespace, 3)) {
            assertEquals(3, array.length());
            assertArrayEquals(new long[] {0, 0, 0}, array.toArray());
            array.set(1, 7);
            assertEquals(7, array.get(1));
            assertEquals(7, array.getAndAdd(1, 3));
            assertEquals(15, array.addAndGet(1, 5));
            assertEquals(16, array.incrementAndGet(1));
            assertTrue(array.compareAndSet(1, 16, 20));
            assertFalse(array.compareAndSet(1, 16, 30));
            assertEquals(20, array.getAndSet(1, -2));
            assertEquals(-2, array.get(1));
            assertEquals(Long.MIN_VALUE, array.addAndGet(2, Long.MIN_VALUE));
            assertArrayEquals(new long[] {0, -2, Long.MIN_VALUE}, array.toArray(), "other elements untouched");
            array.set(0, 1L << 40);
            assertEquals((1L << 40) + 1, array.incrementAndGet(0), "all 64 bits are shared");
        }
    }

    @Test
    void shouldStartWithTheInitialElements() {
        final long[] initial = {4, -5, 6, Long.MAX_VALUE};
        try (SharedLongArray array = SharedLongArray.create(namespace, initial)) {
            initial[0] = 99;
            assertEquals(4, array.length());
            assertArrayEquals(new long[] {4, -5, 6, Long.MAX_VALUE}, array.toArray(), "initial is copied");
        }
    }

    @Test
    void shouldExposeExactlyTheElementsAsAnAlignedSegment() {
        try (SharedLongArray array = SharedLongArray.create(namespace, new long[] {1, 2, 3})) {
            final MemorySegment segment = array.segment();
            assertEquals(3L * Long.BYTES, segment.byteSize());
            assertEquals(0, segment.address() % 64, "element area starts on a cache line");
            assertEquals(0, segment.address() % Long.BYTES, "elements are 8-byte aligned");
            assertEquals(2, segment.getAtIndex(ValueLayout.JAVA_LONG, 1));
            segment.setAtIndex(ValueLayout.JAVA_LONG, 2, 33);
            assertEquals(33, array.get(2));
        }
    }

    @Test
    void shouldNameIndexAndLengthWhenOutOfRange() {
        try (SharedLongArray array = SharedLongArray.create(namespace, 3)) {
            final IndexOutOfBoundsException high = assertThrows(IndexOutOfBoundsException.class, () -> array.get(3));
            assertEquals("index out of range: index=3 length=3", high.getMessage());
            final IndexOutOfBoundsException low = assertThrows(IndexOutOfBoundsException.class,
                () -> array.set(-1, 0));
            assertEquals("index out of range: index=-1 length=3", low.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> array.getAndAdd(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.addAndGet(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.compareAndSet(3, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.incrementAndGet(Integer.MIN_VALUE));
        }
    }

    @Test
    void shouldRejectNegativeLengthAndAllowEmpty() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SharedLongArray.create(namespace, -1));
        assertTrue(e.getMessage().contains("length=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.create(namespace, "negative", -2));
        try (SharedLongArray empty = SharedLongArray.create(namespace, 0)) {
            assertEquals(0, empty.length());
            assertArrayEquals(new long[0], empty.toArray());
            assertEquals(0, empty.segment().byteSize());
            assertThrows(IndexOutOfBoundsException.class, () -> empty.get(0));
        }
    }

    @Test
    void shouldSeeWritesThroughAnotherHandleOfTheSameFile() {
        try (SharedLongArray created = SharedLongArray.create(namespace, 4);
             SharedLongArray attached = SharedLongArray.attach(created.file())) {
            assertEquals(4, attached.length(), "attach reads the length from the file");
            created.set(3, 42);
            assertEquals(42, attached.get(3));
            attached.addAndGet(0, 8);
            assertEquals(8, created.get(0));
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialElements() {
        try (SharedLongArray first = SharedLongArray.create(namespace, "results", new long[] {1, 2});
             SharedLongArray second = SharedLongArray.create(namespace, "results", new long[] {8, 9});
             SharedLongArray third = SharedLongArray.create(namespace, "results", 2)) {
            assertArrayEquals(new long[] {1, 2}, second.toArray());
            third.set(0, 5);
            assertEquals(5, first.get(0));
        }
    }

    @Test
    void shouldRefuseANamedArrayOfAnotherLength() {
        try (SharedLongArray existing = SharedLongArray.create(namespace, "results", 4)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedLongArray.create(namespace, "results", 3));
            assertTrue(e.getMessage().contains(existing.file().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("expected length=3"), e.getMessage());
            assertTrue(e.getMessage().contains("actual length=4"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> SharedLongArray.create(namespace, "results", new long[5]));
        }
    }

    @Test
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedLongArray array = SharedLongArray.create(namespace, new long[] {1, 2, 3});
             SharedLongArray copy = SharedTestSupport.roundTrip(array)) {
            assertEquals(array.file(), copy.file());
            assertEquals(3, copy.length());
            assertArrayEquals(new long[] {1, 2, 3}, copy.toArray());
            copy.set(2, 30);
            assertEquals(30, array.get(2));
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedLongArray array = SharedLongArray.create(namespace, 1);
             SharedLongArray attached = SharedLongArray.attach(array.file())) {
            SharedTestSupport.assertSameLock(array.getLock(), attached.getLock());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        final int threads = 4;
        final int perThread = 100_000;
        try (SharedLongArray first = SharedLongArray.create(namespace, 2);
             SharedLongArray second = SharedLongArray.attach(first.file())) {
            SharedTestSupport.runTogether(threads, t -> {
                final SharedLongArray mine = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    mine.incrementAndGet(1);
                }
            });
            assertArrayEquals(new long[] {0, (long) threads * perThread}, first.toArray());
        }
    }

    @Test
    void shouldFailOnUseAfterClose() {
        final SharedLongArray array = SharedLongArray.create(namespace, 2);
        final MemorySegment segment = array.segment();
        array.close();
        array.close();
        assertThrows(IllegalStateException.class, () -> array.get(0));
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_LONG, 0));
    }
}
