package dev.mproc.ipc;

import dev.mproc.core.KindMismatchException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedLong: every operation's result on all 64 bits, long overflow, create-or-attach by name,
 * refusal of another kind, and exact counting under contention; the checks every handle must
 * pass are in {@link SharedHandleContract}.
 */
final class SharedLongTest extends SharedHandleContract<SharedLong> {
    SharedLongTest() {
        super(new Calls<>(namespace -> SharedLong.create(namespace, 0L), SharedLong::attach, SharedLong::file,
            SharedLong::getLock, SharedLong::set, SharedLong::get));
    }

    @Test
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedLong value = SharedLong.create(namespace, 5L)) {
            assertEquals(5L, value.get());
            value.set(7L);
            assertEquals(7L, value.get());
            assertEquals(7L, value.getAndAdd(3));
            assertEquals(10L, value.get());
            assertEquals(15L, value.addAndGet(5));
            assertEquals(16L, value.incrementAndGet());
            assertEquals(16L, value.getAndIncrement());
            assertEquals(17L, value.get());
            assertEquals(16L, value.decrementAndGet());
            assertEquals(16L, value.getAndDecrement());
            assertEquals(15L, value.get());
            assertTrue(value.compareAndSet(15, 20));
            assertFalse(value.compareAndSet(15, 30));
            assertEquals(20L, value.get());
            assertEquals(20L, value.getAndSet(-1));
            assertEquals(-1L, value.get());
            assertEquals(-4L, value.addAndGet(-3));
            value.set(1L << 40);
            assertEquals((1L << 40) + 1, value.incrementAndGet(), "all 64 bits are shared");
        }
    }

    @Test
    void shouldWrapAroundOnOverflowAsLongArithmetic() {
        try (SharedLong value = SharedLong.create(namespace, Long.MAX_VALUE)) {
            assertEquals(Long.MIN_VALUE, value.incrementAndGet());
            assertEquals(Long.MAX_VALUE, value.decrementAndGet());
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialValue() {
        try (SharedLong first = SharedLong.create(namespace, "counter", 5L);
             SharedLong second = SharedLong.create(namespace, "counter", 99L)) {
            assertEquals(5L, second.get());
            assertEquals(namespace.pathOf("counter"), second.file());
            second.incrementAndGet();
            assertEquals(6L, first.get());
        }
    }

    @Test
    void shouldRefuseAnotherKindUnderTheSameName() {
        try (SharedInt existing = SharedInt.create(namespace, "taken", 1)) {
            final KindMismatchException e = assertThrows(KindMismatchException.class,
                () -> SharedLong.create(namespace, "taken", 1L));
            assertEquals(1, existing.get(), "the other object is left alone");
            assertTrue(e.getMessage().contains("VINT") && e.getMessage().contains("VLNG"), e.getMessage());
        }
    }

    @Test
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        try (SharedLong first = SharedLong.create(namespace, 0L);
             SharedLong second = SharedLong.attach(first.file())) {
            final long increments = SharedTestSupport.incrementThroughTwoHandles(first, second,
                SharedLong::incrementAndGet);
            assertEquals(increments, first.get());
            assertEquals(increments, second.get());
        }
    }
}
