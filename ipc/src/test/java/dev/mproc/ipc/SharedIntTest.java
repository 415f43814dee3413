package dev.mproc.ipc;

import dev.mproc.core.KindMismatchException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedInt: every operation's result, int overflow, create-or-attach by name, refusal of another
 * kind, the lock of a value with the longest name, and exact counting under contention; the
 * checks every handle must pass (two handles, serialisation, the shared lock, close) are in
 * {@link SharedHandleContract}.
 */
final class SharedIntTest extends SharedHandleContract<SharedInt> {
    SharedIntTest() {
        super(new Calls<>(namespace -> SharedInt.create(namespace, 0), SharedInt::attach, SharedInt::file,
            SharedInt::getLock, SharedInt::set, SharedInt::get));
    }

    @Test
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedInt value = SharedInt.create(namespace, 5)) {
            assertEquals(5, value.get());
            value.set(7);
            assertEquals(7, value.get());
            assertEquals(7, value.getAndAdd(3));
            assertEquals(10, value.get());
            assertEquals(15, value.addAndGet(5));
            assertEquals(16, value.incrementAndGet());
            assertEquals(16, value.getAndIncrement());
            assertEquals(17, value.get());
            assertEquals(16, value.decrementAndGet());
            assertEquals(16, value.getAndDecrement());
            assertEquals(15, value.get());
            assertTrue(value.compareAndSet(15, 20));
            assertFalse(value.compareAndSet(15, 30));
            assertEquals(20, value.get());
            assertEquals(20, value.getAndSet(-1));
            assertEquals(-1, value.get());
            assertEquals(-4, value.addAndGet(-3));
        }
    }

    @Test
    void shouldWrapAroundOnOverflowAsIntArithmetic() {
        try (SharedInt value = SharedInt.create(namespace, Integer.MAX_VALUE)) {
            assertEquals(Integer.MIN_VALUE, value.incrementAndGet());
            assertEquals(Integer.MAX_VALUE, value.decrementAndGet());
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialValue() {
        try (SharedInt first = SharedInt.create(namespace, "counter", 5);
             SharedInt second = SharedInt.create(namespace, "counter", 99)) {
            assertEquals(5, second.get());
            assertEquals(namespace.pathOf("counter"), second.file());
            second.incrementAndGet();
            assertEquals(6, first.get());
        }
    }

    @Test
    void shouldRefuseAnotherKindUnderTheSameName() {
        try (SharedLong existing = SharedLong.create(namespace, "taken", 1L)) {
            final KindMismatchException e = assertThrows(KindMismatchException.class,
                () -> SharedInt.create(namespace, "taken", 1));
            assertEquals(1L, existing.get(), "the other object is left alone");
            assertTrue(e.getMessage().contains("VINT") && e.getMessage().contains("VLNG"), e.getMessage());
        }
    }

    @Test
    void shouldGiveALockToAValueWhoseNameIsAsLongAsANamespaceAllows() throws Exception {
        final String longest = "v" + "x".repeat(127);
        try (SharedInt value = SharedInt.create(namespace, longest, 0);
             SharedInt attached = SharedInt.attach(value.file())) {
            SharedTestSupport.assertSameLock(value.getLock(), attached.getLock());
            final String lockName = value.getLock().file().getFileName().toString();
            assertEquals(128, lockName.length(), lockName);
            assertTrue(lockName.endsWith(".lock"), lockName);
            assertEquals(lockName, SharedLockFile.lockName(longest), "the same name in every process");
        }
    }

    @Test
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        try (SharedInt first = SharedInt.create(namespace, 0);
             SharedInt second = SharedInt.attach(first.file())) {
            final long increments = SharedTestSupport.incrementThroughTwoHandles(first, second,
                SharedInt::incrementAndGet);
            assertEquals(increments, first.get());
            assertEquals(increments, second.get());
        }
    }
}
