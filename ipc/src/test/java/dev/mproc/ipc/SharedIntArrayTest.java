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
 * SharedIntArray: every operation's result, initial contents, int access through the segment,
 * the index check of every operation, create-or-attach by name with initial elements,
 * serialisation of the contents, and exact counting under contention; the checks every array
 * must pass are in {@link SharedArrayContract} and {@link SharedHandleContract}.
 */
final class SharedIntArrayTest extends SharedArrayContract<SharedIntArray> {
    SharedIntArrayTest() {
        super(new ArrayCalls<>(SharedIntArray::create, SharedIntArray::create, SharedIntArray::attach,
            SharedIntArray::file, SharedIntArray::getLock, SharedIntArray::length, SharedIntArray::segment,
            Integer.BYTES, SharedIntArray::set, SharedIntArray::get));
    }

    @Test
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedIntArray array = SharedIntArray.create(namespace, 3)) {
            assertEquals(3, array.length());
            assertArrayEquals(new int[] {0, 0, 0}, array.toArray());
            array.set(1, 7);
            assertEquals(7, array.get(1));
            assertEquals(7, array.getAndAdd(1, 3));
            assertEquals(15, array.addAndGet(1, 5));
            assertEquals(16, array.incrementAndGet(1));
            assertTrue(array.compareAndSet(1, 16, 20));
            assertFalse(array.compareAndSet(1, 16, 30));
            assertEquals(20, array.getAndSet(1, -2));
            assertEquals(-2, array.get(1));
            assertEquals(Integer.MIN_VALUE, array.addAndGet(2, Integer.MIN_VALUE));
            assertArrayEquals(new int[] {0, -2, Integer.MIN_VALUE}, array.toArray(), "other elements untouched");
        }
    }

    @Test
    void shouldStartWithTheInitialElements() {
        final int[] initial = {4, -5, 6, Integer.MAX_VALUE};
        try (SharedIntArray array = SharedIntArray.create(namespace, initial);
             SharedIntArray empty = SharedIntArray.create(namespace, new int[0])) {
            initial[0] = 99;
            assertEquals(4, array.length());
            assertArrayEquals(new int[] {4, -5, 6, Integer.MAX_VALUE}, array.toArray(), "initial is copied");
            assertArrayEquals(new int[0], empty.toArray());
        }
    }

    @Test
    void shouldReadAndWriteIntsThroughTheSegment() {
        try (SharedIntArray array = SharedIntArray.create(namespace, new int[] {1, 2, 3})) {
            final MemorySegment segment = array.segment();
            assertEquals(2, segment.getAtIndex(ValueLayout.JAVA_INT, 1));
            segment.setAtIndex(ValueLayout.JAVA_INT, 2, 33);
            assertEquals(33, array.get(2));
        }
    }

    @Test
    void shouldCheckTheIndexInEveryOperation() {
        try (SharedIntArray array = SharedIntArray.create(namespace, 3)) {
            assertThrows(IndexOutOfBoundsException.class, () -> array.getAndAdd(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.addAndGet(3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.getAndSet(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.compareAndSet(3, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.incrementAndGet(Integer.MIN_VALUE));
            assertArrayEquals(new int[3], array.toArray(), "nothing written");
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialElements() {
        try (SharedIntArray first = SharedIntArray.create(namespace, "results", new int[] {1, 2});
             SharedIntArray second = SharedIntArray.create(namespace, "results", new int[] {8, 9});
             SharedIntArray third = SharedIntArray.create(namespace, "results", 2)) {
            assertArrayEquals(new int[] {1, 2}, second.toArray());
            third.set(0, 5);
            assertEquals(5, first.get(0));
            assertThrows(IllegalArgumentException.class,
                () -> SharedIntArray.create(namespace, "results", new int[5]));
        }
    }

    @Test
    void shouldKeepLengthAndElementsThroughSerialisation() throws Exception {
        try (SharedIntArray array = SharedIntArray.create(namespace, new int[] {1, 2, 3});
             SharedIntArray copy = SharedTestSupport.roundTrip(array)) {
            assertEquals(3, copy.length());
            assertArrayEquals(new int[] {1, 2, 3}, copy.toArray());
        }
    }

    @Test
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        try (SharedIntArray first = SharedIntArray.create(namespace, 2);
             SharedIntArray second = SharedIntArray.attach(first.file())) {
            final long increments = SharedTestSupport.incrementThroughTwoHandles(first, second,
                array -> array.incrementAndGet(1));
            assertArrayEquals(new int[] {0, (int) increments}, first.toArray());
        }
    }
}
