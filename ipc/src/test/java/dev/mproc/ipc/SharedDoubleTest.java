package dev.mproc.ipc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedDouble: every operation's result, compare-and-set by bit pattern, create-or-attach by
 * name, exact sums under contention (the CAS loop loses no addition), and the addition failing
 * once closed; the checks every handle must pass are in {@link SharedHandleContract}.
 */
final class SharedDoubleTest extends SharedHandleContract<SharedDouble> {
    SharedDoubleTest() {
        super(new Calls<>(namespace -> SharedDouble.create(namespace, 0.0), SharedDouble::attach,
            SharedDouble::file, SharedDouble::getLock, SharedDouble::set, SharedDouble::get));
    }

    @Test
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedDouble value = SharedDouble.create(namespace, 1.5)) {
            assertEquals(1.5, value.get());
            value.set(2.25);
            assertEquals(2.25, value.get());
            assertEquals(2.25, value.getAndAdd(0.5));
            assertEquals(2.75, value.get());
            assertEquals(3.0, value.addAndGet(0.25));
            assertTrue(value.compareAndSet(3.0, -7.5));
            assertFalse(value.compareAndSet(3.0, 9.0));
            assertEquals(-7.5, value.get());
            assertEquals(-7.5, value.getAndSet(Double.MAX_VALUE));
            assertEquals(Double.MAX_VALUE, value.get());
        }
    }

    @Test
    void shouldCompareBitPatternsInCompareAndSet() {
        try (SharedDouble value = SharedDouble.create(namespace, 0.0)) {
            assertFalse(value.compareAndSet(-0.0, 1.0), "-0.0 has other bits than 0.0");
            assertTrue(value.compareAndSet(0.0, Double.NaN));
            assertTrue(value.compareAndSet(Double.NaN, -0.0), "NaN matches the same NaN");
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(value.get()));
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialValue() {
        try (SharedDouble first = SharedDouble.create(namespace, "ratio", 0.5);
             SharedDouble second = SharedDouble.create(namespace, "ratio", 99.0)) {
            assertEquals(0.5, second.get());
            second.set(0.75);
            assertEquals(0.75, first.get());
        }
    }

    @Test
    void shouldSumExactlyWhenFourThreadsAddThroughTwoHandles() throws Exception {
        try (SharedDouble first = SharedDouble.create(namespace, 0.0);
             SharedDouble second = SharedDouble.attach(first.file())) {
            final long additions = SharedTestSupport.incrementThroughTwoHandles(first, second,
                value -> value.addAndGet(1.0));
            // Whole numbers below 2^53 are exact in a double: any lost update would show.
            assertEquals(additions, first.get());
            assertEquals(additions, second.get());
        }
    }

    @Test
    void shouldFailToAddAfterClose() {
        final SharedDouble value = SharedDouble.create(namespace, 1.0);
        value.close();
        assertThrows(IllegalStateException.class, () -> value.addAndGet(1.0));
        assertThrows(IllegalStateException.class, () -> value.compareAndSet(1.0, 2.0));
    }
}
