package dev.mproc.sync;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RLockTest {
    private Namespace namespace;
    private RLock lock;
    private RLock other;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
        lock = RLock.create(namespace);
        other = RLock.attach(lock.file());
    }

    @AfterEach
    void tearDown() {
        lock.close();
        other.close();
        namespace.close();
    }

    @Test
    void shouldCountHoldsPerThreadAndReleaseAtZero() throws Exception {
        lock.lock();
        assertTrue(lock.tryLock());
        lock.lockInterruptibly();
        assertTrue(lock.tryLock(1, TimeUnit.MILLISECONDS));
        assertEquals(4, lock.getHoldCount());
        assertEquals(4, other.getHoldCount(), "every handle of the file in this process sees the same holds");
        for (int holds = 3; holds >= 1; holds--) {
            lock.unlock();
            assertEquals(holds, lock.getHoldCount());
            assertTrue(lock.isLocked());
            assertFalse(tryFromAnotherThread(), "still held with " + holds + " holds");
        }
        lock.unlock();
        assertEquals(0, lock.getHoldCount());
        assertFalse(lock.isLocked());
        assertTrue(tryFromAnotherThread());
    }

    @Test
    void shouldRefuseUnlockByANonHolder() throws Exception {
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        lock.lock();
        try {
            final Future<Throwable> attempt = Executors.newSingleThreadExecutor().submit(() -> {
                try {
                    other.unlock();
                    return null;
                } catch (final Throwable t) {
                    return t;
                }
            });
            assertTrue(attempt.get(10, TimeUnit.SECONDS) instanceof IllegalMonitorStateException);
            assertEquals(1, lock.getHoldCount());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldExcludeOtherThreadsThroughAnotherMapping() throws Exception {
        final long[] counter = new long[1];
        final CountDownLatch done = new CountDownLatch(2);
        final Runnable work = () -> {
            for (int i = 0; i < 50_000; i++) {
                final RLock l = (i & 1) == 0 ? lock : other;
                l.lock();
                l.lock();
                try {
                    counter[0]++;
                } finally {
                    l.unlock();
                    l.unlock();
                }
            }
            done.countDown();
        };
        new Thread(work).start();
        new Thread(work).start();
        assertTrue(done.await(50, TimeUnit.SECONDS));
        lock.lock();
        try {
            assertEquals(100_000, counter[0]);
        } finally {
            lock.unlock();
        }
    }

    private boolean tryFromAnotherThread() throws Exception {
        return Executors.newSingleThreadExecutor().submit(() -> {
            final boolean taken = other.tryLock();
            if (taken) {
                other.unlock();
            }
            return taken;
        }).get(10, TimeUnit.SECONDS);
    }
}
