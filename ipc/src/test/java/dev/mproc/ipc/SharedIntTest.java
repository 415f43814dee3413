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
 * SharedInt: every operation's result, two handles of one file, create-or-attach by name,
 * serialisation, the shared lock, and exact counting under contention.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedIntTest {
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
    void shouldSeeWritesThroughAnotherHandleOfTheSameFile() {
        try (SharedInt created = SharedInt.create(namespace, 1);
             SharedInt attached = SharedInt.attach(created.file())) {
            assertEquals(1, attached.get());
            created.set(42);
            assertEquals(42, attached.get());
            attached.addAndGet(8);
            assertEquals(50, created.get());
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
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedInt value = SharedInt.create(namespace, 3);
             SharedInt copy = SharedTestSupport.roundTrip(value)) {
            assertEquals(value.file(), copy.file());
            assertEquals(3, copy.get());
            copy.set(11);
            assertEquals(11, value.get());
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedInt value = SharedInt.create(namespace, 0);
             SharedInt attached = SharedInt.attach(value.file());
             SharedInt deserialised = SharedTestSupport.roundTrip(value)) {
            final Lock lock = value.getLock();
            assertSame(lock, value.getLock(), "one handle maps its lock once");
            assertTrue(Files.exists(Path.of(value.file() + ".lock")), "lock file beside the value");
            SharedTestSupport.assertSameLock(lock, attached.getLock());
            SharedTestSupport.assertSameLock(deserialised.getLock(), lock);
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
    void shouldNotTakeTheLockInAtomicOperations() throws Exception {
        try (SharedInt value = SharedInt.create(namespace, 0);
             SharedInt attached = SharedInt.attach(value.file())) {
            value.getLock().lock();
            try {
                assertEquals(1, (int) SharedTestSupport.inOtherThread(attached::incrementAndGet));
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
        try (SharedInt first = SharedInt.create(namespace, 0);
             SharedInt second = SharedInt.attach(first.file())) {
            SharedTestSupport.runTogether(threads, t -> {
                final SharedInt mine = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    mine.incrementAndGet();
                }
            });
            assertEquals(threads * perThread, first.get());
            assertEquals(threads * perThread, second.get());
        }
    }

    @Test
    void shouldFailOnUseAfterCloseAndCloseIdempotently() {
        final SharedInt value = SharedInt.create(namespace, 0);
        try (SharedInt other = SharedInt.attach(value.file())) {
            value.close();
            value.close();
            assertThrows(IllegalStateException.class, value::get);
            assertThrows(IllegalStateException.class, value::getLock);
            other.set(2);
            assertEquals(2, other.get(), "closing one handle leaves the others working");
            assertTrue(Files.exists(value.file()), "closing a handle does not delete the file");
        }
    }
}
