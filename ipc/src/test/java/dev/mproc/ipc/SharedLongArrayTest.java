package dev.mproc.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedLongArray: every operation's result on all 64 bits, initial contents, aligned long access
 * through the segment, the index check of every operation, create-or-attach by name with initial
 * elements, serialisation of the contents, and exact counting under contention; the checks every
 * array must pass are in {@link SharedArrayContract} and {@link SharedHandleContract}.
 */
final class SharedLongArrayTest extends SharedArrayContract<SharedLongArray> {
    SharedLongArrayTest() {
        super(new ArrayCalls<>(SharedLongArray::create, SharedLongArray::create, SharedLongArray::attach,
            SharedLongArray::file, SharedLongArray::getLock, SharedLongArray::length, SharedLongArray::segment,
            Long.BYTES, SharedLongArray::set, SharedLongArray::get));
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
        try (SharedLongArray array = SharedLongArray.create(namespace, initial);
             SharedLongArray empty = SharedLongArray.create(namespace, new long[0])) {
            initial[0] = 99;
            assertEquals(4, array.length());
            assertArrayEquals(new long[] {4, -5, 6, Long.MAX_VALUE}, array.toArray(), "initial is copied");
            assertArrayEquals(new long[0], empty.toArray());
        }
    }

    @Test
    void shouldReadAndWriteLongsThroughTheSegment() {
        try (SharedLongArray array = SharedLongArray.create(namespace, new long[] {1, 2, 3})) {
            final MemorySegment segment = array.segment();
            assertEquals(0, segment.address() % Long.BYTES, "elements are 8-byte aligned");
            assertEquals(2, segment.getAtIndex(ValueLayout.JAVA_LONG, 1));
            segment.setAtIndex(ValueLayout.JAVA_LONG, 2, 33);
            assertEquals(33, array.get(2));
        }
    }

    @Test
    void shouldCheckTheIndexInEveryOperation() {
        try (SharedLongArray array = SharedLongArray.create(namespace, 3)) {
            assertThrows(IndexOutOfBoundsException.class, () -> array.getAndAdd(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.addAndGet(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.getAndSet(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.compareAndSet(3, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.incrementAndGet(Integer.MIN_VALUE));
            assertArrayEquals(new long[3], array.toArray(), "nothing written");
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
            assertThrows(IllegalArgumentException.class,
                () -> SharedLongArray.create(namespace, "results", new long[5]));
        }
    }

    @Test
    void shouldKeepLengthAndElementsThroughSerialisation() throws Exception {
        try (SharedLongArray array = SharedLongArray.create(namespace, new long[] {1, 2, 3});
             SharedLongArray copy = SharedTestSupport.roundTrip(array)) {
            assertEquals(3, copy.length());
            assertArrayEquals(new long[] {1, 2, 3}, copy.toArray());
        }
    }

    @Test
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        try (SharedLongArray first = SharedLongArray.create(namespace, 2);
             SharedLongArray second = SharedLongArray.attach(first.file())) {
            final long increments = SharedTestSupport.incrementThroughTwoHandles(first, second,
                array -> array.incrementAndGet(1));
            assertArrayEquals(new long[] {0, increments}, first.toArray());
        }
    }
}
