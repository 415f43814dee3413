package dev.mproc.ipc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.KindMismatchException;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedLong: every operation's result, two handles of one file, create-or-attach by name,
 * serialisation, the shared lock, and exact counting under contention.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedLongTest {
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
    void shouldSeeWritesThroughAnotherHandleOfTheSameFile() {
        try (SharedLong created = SharedLong.create(namespace, 1L);
             SharedLong attached = SharedLong.attach(created.file())) {
            assertEquals(1L, attached.get());
            created.set(42L);
            assertEquals(42L, attached.get());
            attached.addAndGet(8);
            assertEquals(50L, created.get());
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
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedLong value = SharedLong.create(namespace, 3L);
             SharedLong copy = SharedTestSupport.roundTrip(value)) {
            assertEquals(value.file(), copy.file());
            assertEquals(3L, copy.get());
            copy.set(11L);
            assertEquals(11L, value.get());
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedLong value = SharedLong.create(namespace, 0L);
             SharedLong attached = SharedLong.attach(value.file());
             SharedLong deserialised = SharedTestSupport.roundTrip(value)) {
            final Lock lock = value.getLock();
            assertSame(lock, value.getLock(), "one handle maps its lock once");
            assertTrue(Files.exists(Path.of(value.file() + ".lock")), "lock file beside the value");
            SharedTestSupport.assertSameLock(lock, attached.getLock());
            SharedTestSupport.assertSameLock(deserialised.getLock(), lock);
        }
    }

    @Test
    void shouldNotTakeTheLockInAtomicOperations() throws Exception {
        try (SharedLong value = SharedLong.create(namespace, 0L);
             SharedLong attached = SharedLong.attach(value.file())) {
            value.getLock().lock();
            try {
                assertEquals(1L, (long) SharedTestSupport.inOtherThread(attached::incrementAndGet));
            } finally {
                value.getLock().unlock();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCountExactlyWhenFourThreadsIncrementThroughTwoHandles() throws Exception {
        final int threads = 4;
        final int perThread = 100_000;
        try (SharedLong first = SharedLong.create(namespace, 0L);
             SharedLong second = SharedLong.attach(first.file())) {
            SharedTestSupport.runTogether(threads, t -> {
                final SharedLong mine = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    mine.incrementAndGet();
                }
            });
            assertEquals((long) threads * perThread, first.get());
            assertEquals((long) threads * perThread, second.get());
        }
    }

    @Test
    void shouldFailOnUseAfterCloseAndCloseIdempotently() {
        final SharedLong value = SharedLong.create(namespace, 0L);
        try (SharedLong other = SharedLong.attach(value.file())) {
            value.close();
            value.close();
            assertThrows(IllegalStateException.class, value::get);
            assertThrows(IllegalStateException.class, value::getLock);
            other.set(2L);
            assertEquals(2L, other.get(), "closing one handle leaves the others working");
            assertTrue(Files.exists(value.file()), "closing a handle does not delete the file");
        }
    }
}
