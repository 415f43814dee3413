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
 * SharedDoubleArray: every operation's result, compare-and-set by bit pattern, initial contents
 * and double access through the segment, the index check of the additions and compare-and-set,
 * create-or-attach by name with initial elements, serialisation of the contents, and exact sums
 * under contention; the checks every array must pass are in {@link SharedArrayContract} and
 * {@link SharedHandleContract}.
 */
final class SharedDoubleArrayTest extends SharedArrayContract<SharedDoubleArray> {
    SharedDoubleArrayTest() {
        super(new ArrayCalls<>(SharedDoubleArray::create, SharedDoubleArray::create, SharedDoubleArray::attach,
            SharedDoubleArray::file, SharedDoubleArray::getLock, SharedDoubleArray::length,
            SharedDoubleArray::segment, Double.BYTES, SharedDoubleArray::set, SharedDoubleArray::get));
    }

    @Test
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, 3)) {
            assertEquals(3, array.length());
            assertArrayEquals(new double[] {0, 0, 0}, array.toArray());
            array.set(1, 2.5);
            assertEquals(2.5, array.get(1));
            assertEquals(2.5, array.getAndAdd(1, 0.25));
            assertEquals(3.0, array.addAndGet(1, 0.25));
            assertEquals(4.0, array.incrementAndGet(1));
            assertTrue(array.compareAndSet(1, 4.0, -1.5));
            assertFalse(array.compareAndSet(1, 4.0, 9.0));
            assertEquals(-1.5, array.getAndSet(1, 6.0));
            assertEquals(6.0, array.get(1));
            assertArrayEquals(new double[] {0, 6.0, 0}, array.toArray(), "other elements untouched");
        }
    }

    @Test
    void shouldCompareBitPatternsInCompareAndSet() {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, 1)) {
            assertFalse(array.compareAndSet(0, -0.0, 1.0), "-0.0 has other bits than 0.0");
            assertTrue(array.compareAndSet(0, 0.0, Double.NaN));
            assertTrue(array.compareAndSet(0, Double.NaN, 2.0), "NaN matches the same NaN");
            assertEquals(2.0, array.get(0));
        }
    }

    @Test
    void shouldStartWithTheInitialElementsAndExposeThemAsDoubles() {
        final double[] initial = {1.5, -0.0, Double.MAX_VALUE};
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, initial)) {
            initial[0] = 99;
            assertArrayEquals(new double[] {1.5, -0.0, Double.MAX_VALUE}, array.toArray(), "initial is copied");
            final MemorySegment segment = array.segment();
            assertEquals(Double.MAX_VALUE, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            segment.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, 0.125);
            assertEquals(0.125, array.get(0));
        }
    }

    @Test
    void shouldCheckTheIndexOfTheAdditionsAndCompareAndSet() {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, 2)) {
            final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> array.getAndAdd(2, 1.0));
            assertEquals("index out of range: index=2 length=2", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> array.incrementAndGet(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.compareAndSet(2, 0.0, 1.0));
            assertArrayEquals(new double[2], array.toArray(), "nothing written");
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialElements() {
        try (SharedDoubleArray first = SharedDoubleArray.create(namespace, "weights", new double[] {1, 2});
             SharedDoubleArray byName = SharedDoubleArray.create(namespace, "weights", new double[] {7, 8})) {
            assertArrayEquals(new double[] {1, 2}, byName.toArray());
            byName.set(0, 0.5);
            assertEquals(0.5, first.get(0));
        }
    }

    @Test
    void shouldKeepTheElementsThroughSerialisation() throws Exception {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, new double[] {1.0, 2.0});
             SharedDoubleArray copy = SharedTestSupport.roundTrip(array)) {
            assertArrayEquals(new double[] {1.0, 2.0}, copy.toArray());
            copy.set(1, -2.0);
            assertEquals(-2.0, array.get(1));
        }
    }

    @Test
    void shouldSumExactlyWhenFourThreadsAddThroughTwoHandles() throws Exception {
        try (SharedDoubleArray first = SharedDoubleArray.create(namespace, 1);
             SharedDoubleArray second = SharedDoubleArray.attach(first.file())) {
            final long additions = SharedTestSupport.incrementThroughTwoHandles(first, second,
                array -> array.incrementAndGet(0));
            assertEquals(additions, first.get(0));
        }
    }
}
