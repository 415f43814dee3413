package dev.mproc.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.mproc.core.Namespace;
import dev.mproc.core.ProcessIdentity;
import dev.mproc.core.WaitStrategies;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class LockTest {
    private Namespace namespace;
    private final List<AutoCloseable> handles = new ArrayList<>();

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final AutoCloseable handle : handles) {
            handle.close();
        }
        namespace.close();
    }

    private Lock newLock() {
        final Lock lock = Lock.create(namespace);
        handles.add(lock);
        return lock;
    }

    private <T extends AutoCloseable> T track(final T handle) {
        handles.add(handle);
        return handle;
    }

    /** A plain counter incremented through two handles (two mappings) by 4 threads is exact. */
    @Test
    void shouldExcludeThreadsUsingDifferentMappingsOfOneLock() throws Exception {
        final Lock first = newLock();
        final Lock second = track(Lock.attach(first.file()));
        final long[] counter = new long[1];
        final int perThread = 100_000;
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final Lock lock = t % 2 == 0 ? first : second;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        lock.lock();
                        try {
                            counter[0]++;
                        } finally {
                            lock.unlock();
                        }
                    }
                }));
            }
            for (final Future<?> future : futures) {
                future.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        first.lock();
        try {
            assertEquals(4L * perThread, counter[0]);
        } finally {
            first.unlock();
        }
        assertFalse(first.isLocked());
    }

    @Test
    void shouldRefuseUnlockByAThreadThatDoesNotHoldIt() throws Exception {
        final Lock lock = newLock();
        final IllegalMonitorStateException never = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(never.getMessage().contains(lock.file().toString()), never.getMessage());
        lock.lock();
        final AtomicReference<Throwable> fromOther = new AtomicReference<>();
        final Thread other = new Thread(() -> {
            try {
                lock.unlock();
            } catch (final Throwable t) {
                fromOther.set(t);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(IllegalMonitorStateException.class, fromOther.get());
        assertTrue(lock.isLocked(), "a refused unlock must leave the lock held");
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldRefuseReentryInsteadOfDeadlocking() {
        final Lock lock = newLock();
        lock.lock();
        try {
            assertFalse(lock.tryLock());
            assertThrows(IllegalMonitorStateException.class, lock::lock);
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldTimeOutTryLockWhileAnotherThreadHoldsIt() throws Exception {
        final Lock lock = newLock();
        final Lock other = track(Lock.attach(lock.file()));
        lock.lock();
        try {
            final Future<long[]> attempt = Executors.newSingleThreadExecutor().submit(() -> {
                final long start = System.nanoTime();
                final boolean taken = other.tryLock(200, TimeUnit.MILLISECONDS);
                return new long[] {taken ? 1 : 0, System.nanoTime() - start};
            });
            final long[] result = attempt.get(30, TimeUnit.SECONDS);
            assertEquals(0, result[0]);
            assertTrue(result[1] >= TimeUnit.MILLISECONDS.toNanos(200), "returned early: " + result[1]);
            assertTrue(result[1] < TimeUnit.SECONDS.toNanos(3), "returned late: " + result[1]);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldEndLockInterruptiblyWithInterruptedException() throws Exception {
        final Lock lock = newLock();
        final Lock sleeper = track(Lock.attach(lock.file()).withWaitStrategy(WaitStrategies.sleeping()));
        lock.lock();
        try {
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final Thread waiter = new Thread(() -> {
                started.countDown();
                try {
                    sleeper.lockInterruptibly();
                    outcome.set(new AssertionError("acquired a held lock"));
                } catch (final Throwable t) {
                    outcome.set(t);
                }
            });
            waiter.start();
            started.await();
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(5));
            assertFalse(waiter.isAlive(), "interrupt did not end lockInterruptibly");
            assertInstanceOf(InterruptedException.class, outcome.get());
        } finally {
            lock.unlock();
        }
        assertTrue(lock.tryLock(), "the lock stays usable");
        lock.unlock();
    }

    @Test
    void shouldHandOverToASleepingWaiterOnUnlock() throws Exception {
        final Lock lock = newLock();
        final Lock sleeper = track(Lock.attach(lock.file()).withWaitStrategy(WaitStrategies.sleeping()));
        lock.lock();
        final CountDownLatch acquired = new CountDownLatch(1);
        final Thread waiter = new Thread(() -> {
            sleeper.lock();
            try {
                acquired.countDown();
            } finally {
                sleeper.unlock();
            }
        });
        waiter.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.getState() != Thread.State.RUNNABLE || sleeper.mutex().region().getIntVolatile(
            MutexLayout.SLEEPERS_OFFSET) == 0) {
            assertTrue(System.nanoTime() < deadline, "the waiter never announced itself asleep");
            Thread.onSpinWait();
        }
        lock.unlock();
        assertTrue(acquired.await(5, TimeUnit.SECONDS), "the sleeping waiter was not woken");
        waiter.join();
        assertEquals(0, lock.mutex().region().getIntVolatile(MutexLayout.SLEEPERS_OFFSET));
    }

    /** A holder that died (here: a finished child process named in the owner word) is replaced. */
    @Test
    void shouldTakeOverFromADeadHolderAndSayItDied() throws Exception {
        final Lock lock = newLock();
        final Process child = new ProcessBuilder("true").start();
        final long pid = child.pid();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        // The child's start time no longer matters: no live process has that pid and start.
        lock.mutex().region().putLongVolatile(MutexLayout.OWNER_OFFSET, (pid & 0xFFFF_FFFFL) | (12345L << 32));
        assertTrue(lock.isLocked());
        final long start = System.nanoTime();
        assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "a dead holder's lock was not recovered");
        final long took = System.nanoTime() - start;
        try {
            assertTrue(lock.previousHolderDied());
            assertEquals(1, lock.recoveries());
            assertTrue(took < TimeUnit.SECONDS.toNanos(1), "recovery took " + took + " ns");
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            assertFalse(lock.previousHolderDied(), "an ordinary hold is not a recovery");
        } finally {
            lock.unlock();
        }
    }

    /** A live pid with another start time is a recycled pid: its holder is dead. */
    @Test
    void shouldNotMistakeARecycledPidForTheDeadHolder() throws Exception {
        final Lock lock = newLock();
        final ProcessIdentity me = ProcessIdentity.current();
        final long recycled = (me.pid() & 0xFFFF_FFFFL) | ((me.startTime() + 1) << 32);
        lock.mutex().region().putLongVolatile(MutexLayout.OWNER_OFFSET, recycled);
        final Future<Boolean> taker = Executors.newSingleThreadExecutor().submit(() -> {
            lock.lock();
            try {
                return lock.previousHolderDied();
            } finally {
                lock.unlock();
            }
        });
        assertTrue(taker.get(10, TimeUnit.SECONDS));
    }

    /** A live holder in this process is never taken over, however long it holds. */
    @Test
    void shouldNeverTakeOverFromALiveHolder() throws Exception {
        final Lock lock = newLock();
        final Lock other = track(Lock.attach(lock.file()));
        lock.lock();
        try {
            final Future<Boolean> attempt = Executors.newSingleThreadExecutor()
                .submit(() -> other.tryLock(3 * RobustMutex.LIVENESS_CHECK_NANOS, TimeUnit.NANOSECONDS));
            assertFalse(attempt.get(30, TimeUnit.SECONDS));
            assertEquals(0, lock.recoveries());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldAttachToTheSameLockWhenDeserialised() throws Exception {
        final Lock lock = newLock();
        final Lock copy = track(roundTrip(lock));
        assertEquals(lock.file(), copy.file());
        lock.lock();
        try {
            assertTrue(copy.isLocked());
            assertEquals(ProcessIdentity.current().pid(), copy.holderPid().orElseThrow());
            assertTrue(copy.isHeldByCurrentThread(), "handles of one file in one process agree on the holder");
        } finally {
            copy.unlock();
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldFindTheLockOfTheSameNameAgain() {
        final Lock first = track(Lock.create(namespace, "shared"));
        final Lock second = track(Lock.create(namespace, "shared"));
        assertEquals(first.file(), second.file());
        first.lock();
        try {
            assertTrue(second.isLocked());
        } finally {
            first.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(final T value) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
