package dev.mproc.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.mproc.core.Namespace;

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
final class ConditionTest {
    private Namespace namespace;
    private Lock lock;
    private Condition condition;
    private final List<AutoCloseable> handles = new ArrayList<>();

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
        lock = Lock.create(namespace);
        condition = lock.newCondition();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final AutoCloseable handle : handles) {
            handle.close();
        }
        condition.close();
        lock.close();
        namespace.close();
    }

    /** Starts a thread that waits on {@code on} (through its own handle) and counts its wake-up. */
    private Thread waiter(final Condition on, final AtomicInteger woken, final CountDownLatch waiting) {
        final Thread thread = new Thread(() -> {
            on.lock().lock();
            try {
                waiting.countDown();
                on.awaitUninterruptibly();
                woken.incrementAndGet();
            } finally {
                on.lock().unlock();
            }
        });
        thread.start();
        return thread;
    }

    private void awaitWaiting(final int count) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            lock.lock();
            try {
                if (condition.waiting() == count) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            assertTrue(System.nanoTime() < deadline, "waiters never reached " + count);
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldWakeExactlyOneWaiterPerSignal() throws Exception {
        final Condition second = Condition.attach(condition.file());
        handles.add(second);
        final AtomicInteger woken = new AtomicInteger();
        final CountDownLatch waiting = new CountDownLatch(2);
        final Thread a = waiter(condition, woken, waiting);
        final Thread b = waiter(second, woken, waiting);
        awaitWaiting(2);
        lock.lock();
        try {
            condition.signal();
        } finally {
            lock.unlock();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (woken.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "signal woke nobody");
            Thread.onSpinWait();
        }
        // The other ticket is still waiting: the signal went to exactly one waiter.
        awaitWaiting(1);
        assertEquals(1, woken.get());
        lock.lock();
        try {
            condition.signal();
        } finally {
            lock.unlock();
        }
        a.join(10_000);
        b.join(10_000);
        assertFalse(a.isAlive() || b.isAlive());
        assertEquals(2, woken.get());
    }

    @Test
    void shouldWakeEveryCurrentWaiterOnSignalAllButNotLaterOnes() throws Exception {
        final AtomicInteger woken = new AtomicInteger();
        final CountDownLatch waiting = new CountDownLatch(3);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(waiter(condition, woken, waiting));
        }
        awaitWaiting(3);
        lock.lock();
        try {
            condition.signalAll();
            assertEquals(0, condition.waiting());
            // A wait that begins after the signal is not woken by it.
            assertFalse(condition.await(100, TimeUnit.MILLISECONDS));
            assertTrue(lock.isHeldByCurrentThread(), "await returns holding the lock, also on timeout");
        } finally {
            lock.unlock();
        }
        for (final Thread thread : threads) {
            thread.join(10_000);
            assertFalse(thread.isAlive());
        }
        assertEquals(3, woken.get());
    }

    @Test
    void shouldReturnOnTimeHoldingTheLock() throws Exception {
        lock.lock();
        try {
            final long start = System.nanoTime();
            final long left = condition.awaitNanos(TimeUnit.MILLISECONDS.toNanos(200));
            final long took = System.nanoTime() - start;
            assertTrue(left <= 0, "no signal came: " + left);
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(200) && took < TimeUnit.SECONDS.toNanos(3), "took " + took);
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldAwaitForAPredicate() throws Exception {
        final int[] shared = new int[1];
        final Thread setter = new Thread(() -> {
            for (int i = 1; i <= 5; i++) {
                lock.lock();
                try {
                    shared[0] = i;
                    condition.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        lock.lock();
        try {
            setter.start();
            assertTrue(condition.awaitFor(() -> shared[0] == 5, 10, TimeUnit.SECONDS));
            assertEquals(5, shared[0]);
            assertFalse(condition.awaitFor(() -> shared[0] == 6, 100, TimeUnit.MILLISECONDS));
        } finally {
            lock.unlock();
        }
        setter.join();
    }

    @Test
    void shouldRequireTheLockForEveryCall() {
        assertThrows(IllegalMonitorStateException.class, condition::await);
        assertThrows(IllegalMonitorStateException.class, condition::signal);
        assertThrows(IllegalMonitorStateException.class, condition::signalAll);
        assertThrows(IllegalMonitorStateException.class, () -> condition.awaitNanos(1));
    }

    @Test
    void shouldRestoreEveryHoldOfAnRLockAfterAwait() throws Exception {
        final RLock rlock = RLock.create(namespace);
        final Condition onRLock = Condition.create(namespace, rlock);
        handles.add(onRLock);
        handles.add(rlock);
        rlock.lock();
        rlock.lock();
        try {
            final Thread signaller = new Thread(() -> {
                rlock.lock();
                try {
                    onRLock.signal();
                } finally {
                    rlock.unlock();
                }
            });
            signaller.start();
            assertTrue(onRLock.await(10, TimeUnit.SECONDS), "the other thread could take the lock and signal");
            assertEquals(2, rlock.getHoldCount());
            signaller.join();
        } finally {
            rlock.unlock();
            rlock.unlock();
        }
        assertFalse(rlock.isLocked());
    }

    @Test
    void shouldEndAwaitWithInterruptedExceptionHoldingTheLock() throws Exception {
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final AtomicReference<Boolean> heldAfter = new AtomicReference<>();
        final CountDownLatch waiting = new CountDownLatch(1);
        final Thread thread = new Thread(() -> {
            lock.lock();
            try {
                waiting.countDown();
                condition.await();
            } catch (final Throwable t) {
                outcome.set(t);
            } finally {
                heldAfter.set(lock.isHeldByCurrentThread());
                lock.unlock();
            }
        });
        thread.start();
        awaitWaiting(1);
        thread.interrupt();
        thread.join(5_000);
        assertFalse(thread.isAlive());
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(heldAfter.get());
        lock.lock();
        try {
            assertEquals(0, condition.waiting(), "the interrupted waiter's ticket is cancelled");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldBindAConditionAttachedByNameToTheSameLock() {
        final Condition named = Condition.create(namespace, "cv", lock);
        handles.add(named);
        final Condition again = Condition.create(namespace, "cv", RLock.create(namespace));
        handles.add(again);
        assertTrue(again.lock() instanceof Lock);
        assertEquals(lock.file(), ((Lock) again.lock()).file());
        handles.add((Lock) again.lock());
    }
}
