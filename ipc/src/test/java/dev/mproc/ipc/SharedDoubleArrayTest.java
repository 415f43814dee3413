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
 * SharedDoubleArray: every operation's result, compare-and-set by bit pattern, initial contents,
 * the element segment, index and length errors, two handles of one file, create-or-attach by
 * name, serialisation, the shared lock, and exact sums under contention.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedDoubleArrayTest {
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
    void shouldStartWithTheInitialElementsAndExposeThemAsASegment() {
        final double[] initial = {1.5, -0.0, Double.MAX_VALUE};
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, initial)) {
            initial[0] = 99;
            assertArrayEquals(new double[] {1.5, -0.0, Double.MAX_VALUE}, array.toArray(), "initial is copied");
            final MemorySegment segment = array.segment();
            assertEquals(3L * Double.BYTES, segment.byteSize());
            assertEquals(0, segment.address() % 64, "element area starts on a cache line");
            assertEquals(Double.MAX_VALUE, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            segment.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, 0.125);
            assertEquals(0.125, array.get(0));
        }
    }

    @Test
    void shouldNameIndexAndLengthWhenOutOfRange() {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, 2)) {
            final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> array.getAndAdd(2, 1.0));
            assertEquals("index out of range: index=2 length=2", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> array.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> array.set(2, 0.0));
            assertThrows(IndexOutOfBoundsException.class, () -> array.compareAndSet(2, 0.0, 1.0));
        }
        assertThrows(IllegalArgumentException.class, () -> SharedDoubleArray.create(namespace, -1));
    }

    @Test
    void shouldShareElementsBetweenHandlesAndNames() {
        try (SharedDoubleArray first = SharedDoubleArray.create(namespace, "weights", new double[] {1, 2});
             SharedDoubleArray byName = SharedDoubleArray.create(namespace, "weights", new double[] {7, 8});
             SharedDoubleArray byFile = SharedDoubleArray.attach(first.file())) {
            assertArrayEquals(new double[] {1, 2}, byName.toArray());
            byName.set(0, 0.5);
            assertEquals(0.5, byFile.get(0));
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedDoubleArray.create(namespace, "weights", 3));
            assertTrue(e.getMessage().contains("expected length=3") && e.getMessage().contains("actual length=2"),
                e.getMessage());
        }
    }

    @Test
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, new double[] {1.0, 2.0});
             SharedDoubleArray copy = SharedTestSupport.roundTrip(array)) {
            assertArrayEquals(new double[] {1.0, 2.0}, copy.toArray());
            copy.set(1, -2.0);
            assertEquals(-2.0, array.get(1));
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedDoubleArray array = SharedDoubleArray.create(namespace, 1);
             SharedDoubleArray attached = SharedDoubleArray.attach(array.file())) {
            SharedTestSupport.assertSameLock(array.getLock(), attached.getLock());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldSumExactlyWhenFourThreadsAddThroughTwoHandles() throws Exception {
        final int threads = 4;
        final int perThread = 100_000;
        try (SharedDoubleArray first = SharedDoubleArray.create(namespace, 1);
             SharedDoubleArray second = SharedDoubleArray.attach(first.file())) {
            SharedTestSupport.runTogether(threads, t -> {
                final SharedDoubleArray mine = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    mine.incrementAndGet(0);
                }
            });
            assertEquals(threads * perThread, first.get(0));
        }
    }
}
