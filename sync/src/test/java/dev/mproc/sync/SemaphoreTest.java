package dev.mproc.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mproc.core.KindMismatchException;
import dev.mproc.core.Namespace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semaphore: permit accounting under contention through three handles on one file (created,
 * attached, deserialised: three mappings, as three processes would have), blocking and waking,
 * timeouts, interrupts and argument checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SemaphoreTest {
    private Namespace namespace;
    private SyncTestSupport support;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
        support = new SyncTestSupport();
    }

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted(); // a failed interrupt test must not leak its status into the next test
        try {
            support.close();
        } finally {
            namespace.close();
        }
    }

    private Semaphore newSemaphore(final int permits) {
        return support.track(Semaphore.create(namespace, permits));
    }

    private void awaitSleepers(final Semaphore semaphore, final int count) {
        support.awaitSleepers(semaphore.file(), Semaphore.KIND, SemaphoreLayout.LAYOUT_VERSION,
            SemaphoreLayout.SLEEPERS_OFFSET, count);
    }

    /** 4 threads x 100k acquire/release on 2 permits: never more than 2 holders, none lost. */
    @Test
    void shouldNeverLetMoreThreadsInThanPermitsThroughThreeMappings() throws Exception {
        final int permits = 2;
        final int perThread = 100_000;
        final Semaphore created = newSemaphore(permits);
        final Semaphore attached = support.track(Semaphore.attach(created.file()));
        final Semaphore deserialised = support.roundTrip(created);
        final Semaphore[] handles = {created, attached, deserialised, attached};
        final AtomicInteger occupancy = new AtomicInteger();
        final AtomicInteger maxOccupancy = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final List<SyncTestSupport.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final Semaphore semaphore = handles[t];
            workers.add(support.start("permits-" + t, () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    semaphore.acquire();
                    final int inside = occupancy.incrementAndGet();
                    if (inside > permits) {
                        violations.incrementAndGet();
                    }
                    maxOccupancy.accumulateAndGet(inside, Math::max);
                    occupancy.decrementAndGet();
                    semaphore.release();
                }
                return null;
            }));
        }
        start.countDown();
        for (final SyncTestSupport.Worker<Void> worker : workers) {
            worker.get();
        }
        assertEquals(0, violations.get(), "times more threads held permits than there are permits");
        assertTrue(maxOccupancy.get() >= 1 && maxOccupancy.get() <= permits, "max occupancy " + maxOccupancy);
        assertEquals(permits, created.availablePermits());
        assertEquals(permits, attached.availablePermits());
        assertEquals(permits, deserialised.availablePermits());
    }

    /** Mixed counts: acquire(2) and acquire(1) waiters share 3 permits without losing any. */
    @Test
    void shouldAccountForMixedPermitCounts() throws Exception {
        final int permits = 3;
        final int perThread = 20_000;
        final Semaphore created = newSemaphore(permits);
        final Semaphore attached = support.track(Semaphore.attach(created.file()));
        final AtomicInteger occupancy = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        final List<SyncTestSupport.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final Semaphore semaphore = t % 2 == 0 ? created : attached;
            final int want = t < 2 ? 2 : 1;
            workers.add(support.start("mixed-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    semaphore.acquire(want);
                    if (occupancy.addAndGet(want) > permits) {
                        violations.incrementAndGet();
                    }
                    occupancy.addAndGet(-want);
                    semaphore.release(want);
                }
                return null;
            }));
        }
        for (final SyncTestSupport.Worker<Void> worker : workers) {
            worker.get();
        }
        assertEquals(0, violations.get());
        assertEquals(permits, created.availablePermits());
    }

    @Test
    void shouldReleaseABlockedAcquirerFromAnotherThreadAndMapping() throws Exception {
        final Semaphore semaphore = newSemaphore(0);
        final Semaphore other = support.roundTrip(semaphore);
        final SyncTestSupport.Worker<Integer> waiter = support.start("acquirer", () -> {
            other.acquire();
            return other.availablePermits();
        });
        awaitSleepers(semaphore, 1);
        assertFalse(waiter.isDone(), "acquired without a permit");
        semaphore.release();
        assertEquals(0, waiter.get());
        assertEquals(0, semaphore.availablePermits());
    }

    /** Waiters for different counts are all woken, and each proceeds when its count is there. */
    @Test
    void shouldWakeWaitersWantingDifferentCounts() throws Exception {
        final Semaphore semaphore = newSemaphore(0);
        final Semaphore attached = support.track(Semaphore.attach(semaphore.file()));
        final SyncTestSupport.Worker<Boolean> wantsThree = support.start("wants-3", () -> {
            attached.acquire(3);
            return true;
        });
        final SyncTestSupport.Worker<Boolean> wantsOne = support.start("wants-1", () -> {
            attached.acquire(1);
            return true;
        });
        awaitSleepers(semaphore, 2);
        semaphore.release(1);
        assertTrue(wantsOne.get());
        assertFalse(wantsThree.isDone(), "took 3 permits when only 1 was released");
        semaphore.release(3);
        assertTrue(wantsThree.get());
        assertEquals(0, semaphore.availablePermits());
    }

    @Test
    void shouldTimeOutOnTimeAndTakeNothing() throws Exception {
        final Semaphore semaphore = newSemaphore(2);
        final long timeoutMillis = 200;
        long start = System.nanoTime();
        assertFalse(semaphore.tryAcquire(3, timeoutMillis, TimeUnit.MILLISECONDS));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= timeoutMillis, "returned after " + elapsed + " ms");
        assertTrue(elapsed < timeoutMillis + 10_000, "returned after " + elapsed + " ms");
        assertEquals(2, semaphore.availablePermits(), "a timed-out acquire must take nothing");

        assertTrue(semaphore.tryAcquire(2, timeoutMillis, TimeUnit.MILLISECONDS));
        start = System.nanoTime();
        assertFalse(semaphore.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS));
        elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= timeoutMillis && elapsed < timeoutMillis + 10_000, "returned after " + elapsed + " ms");
        assertFalse(semaphore.tryAcquire(0, TimeUnit.MILLISECONDS));
        assertFalse(semaphore.tryAcquire(-5, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldTryWithoutWaiting() {
        final Semaphore semaphore = newSemaphore(3);
        assertTrue(semaphore.tryAcquire());
        assertTrue(semaphore.tryAcquire(2));
        assertFalse(semaphore.tryAcquire());
        assertTrue(semaphore.tryAcquire(0));
        assertEquals(0, semaphore.availablePermits());
        semaphore.release(3);
        assertFalse(semaphore.tryAcquire(4));
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    void shouldEndBlockingAcquireWithInterruptedException() throws Exception {
        final Semaphore semaphore = newSemaphore(0);
        final SyncTestSupport.Worker<Void> untimed = support.start("untimed", () -> {
            semaphore.acquire();
            return null;
        });
        final SyncTestSupport.Worker<Boolean> timed = support.start("timed", () ->
            semaphore.tryAcquire(2, 1, TimeUnit.HOURS));
        awaitSleepers(semaphore, 2);
        untimed.thread().interrupt();
        timed.thread().interrupt();
        untimed.failure(InterruptedException.class);
        timed.failure(InterruptedException.class);
        assertEquals(0, semaphore.availablePermits());
    }

    @Test
    void shouldNotAcquireWhenAlreadyInterrupted() {
        final Semaphore semaphore = newSemaphore(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, semaphore::acquire);
        assertFalse(Thread.currentThread().isInterrupted(), "interrupt status cleared, as j.u.c does");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> semaphore.tryAcquire(1, TimeUnit.SECONDS));
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void shouldRejectNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> Semaphore.create(namespace, -1));
        assertThrows(IllegalArgumentException.class, () -> Semaphore.create(namespace, "neg", -1));
        final Semaphore semaphore = newSemaphore(1);
        final IllegalArgumentException acquire = assertThrows(IllegalArgumentException.class,
            () -> semaphore.acquire(-1));
        assertTrue(acquire.getMessage().contains("-1"), acquire.getMessage());
        assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(-1, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> semaphore.release(-1));
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void shouldRefuseToOverflowThePermitCount() {
        final Semaphore semaphore = newSemaphore(Integer.MAX_VALUE - 1);
        final IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
            () -> semaphore.release(2));
        assertTrue(overflow.getMessage().contains("Maximum permit count exceeded"), overflow.getMessage());
        assertTrue(overflow.getMessage().contains("available=" + (Integer.MAX_VALUE - 1)), overflow.getMessage());
        assertTrue(overflow.getMessage().contains("release=2"), overflow.getMessage());
        assertEquals(Integer.MAX_VALUE - 1, semaphore.availablePermits(), "a refused release changes nothing");
        semaphore.release();
        assertEquals(Integer.MAX_VALUE, semaphore.availablePermits());
    }

    /** A Semaphore may grow above its initial count (a BoundedSemaphore may not). */
    @Test
    void shouldLetReleasesGrowTheCountBeyondTheInitialPermits() {
        final Semaphore semaphore = newSemaphore(1);
        semaphore.release(5);
        assertEquals(6, semaphore.availablePermits());
    }

    @Test
    void shouldShareOneSemaphoreByName() throws Exception {
        final Semaphore first = support.track(Semaphore.create(namespace, "shared", 3));
        final Semaphore second = support.track(Semaphore.create(namespace, "shared", 99));
        assertEquals(first.file(), second.file());
        assertEquals(3, second.availablePermits(), "attaching by name keeps the existing count");
        second.acquire(2);
        assertEquals(1, first.availablePermits());
        final Semaphore byFactory = support.track(Synchronizers.in(namespace).semaphore("shared", 7));
        assertEquals(1, byFactory.availablePermits());
        final Semaphore fresh = support.track(Synchronizers.in(namespace).semaphore(4));
        assertEquals(4, fresh.availablePermits());
        assertThrows(KindMismatchException.class, () -> BoundedSemaphore.attach(first.file()));
    }
}
