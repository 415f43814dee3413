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
 * BoundedSemaphore: everything a Semaphore does, plus the bound: a release above the initial
 * count throws IllegalStateException and changes nothing, also when several threads race to
 * over-release through different mappings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BoundedSemaphoreTest {
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

    private BoundedSemaphore newSemaphore(final int permits) {
        return support.track(BoundedSemaphore.create(namespace, permits));
    }

    private void awaitSleepers(final BoundedSemaphore semaphore, final int count) {
        support.awaitSleepers(semaphore.file(), BoundedSemaphore.KIND, SemaphoreLayout.LAYOUT_VERSION,
            SemaphoreLayout.SLEEPERS_OFFSET, count);
    }

    @Test
    void shouldRefuseAReleaseAboveTheBoundAndChangeNothing() throws Exception {
        final BoundedSemaphore semaphore = newSemaphore(2);
        assertEquals(2, semaphore.bound());
        final IllegalStateException full = assertThrows(IllegalStateException.class, semaphore::release);
        assertTrue(full.getMessage().contains("available=2"), full.getMessage());
        assertTrue(full.getMessage().contains("release=1"), full.getMessage());
        assertTrue(full.getMessage().contains("bound=2"), full.getMessage());
        assertEquals(2, semaphore.availablePermits());

        semaphore.acquire();
        final IllegalStateException two = assertThrows(IllegalStateException.class, () -> semaphore.release(2));
        assertTrue(two.getMessage().contains("available=1") && two.getMessage().contains("release=2"),
            two.getMessage());
        assertEquals(1, semaphore.availablePermits(), "a refused release must release nothing");
        semaphore.release(1);
        assertEquals(2, semaphore.availablePermits());
        semaphore.release(0);
        assertEquals(2, semaphore.availablePermits());
    }

    /** Four threads, four mappings, one missing permit: exactly one release succeeds. */
    @Test
    void shouldLetExactlyOneOfRacingOverReleasesThrough() throws Exception {
        for (int round = 0; round < 200; round++) {
            final BoundedSemaphore semaphore = newSemaphore(1);
            final BoundedSemaphore[] handles = {semaphore, support.track(BoundedSemaphore.attach(semaphore.file())),
                support.roundTrip(semaphore), support.track(BoundedSemaphore.attach(semaphore.file()))};
            assertTrue(semaphore.tryAcquire());
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicInteger refused = new AtomicInteger();
            final List<SyncTestSupport.Worker<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final BoundedSemaphore handle = handles[t];
                workers.add(support.start("release-" + round + "-" + t, () -> {
                    start.await();
                    try {
                        handle.release();
                    } catch (final IllegalStateException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final SyncTestSupport.Worker<Void> worker : workers) {
                worker.get();
            }
            assertEquals(3, refused.get(), "round " + round);
            assertEquals(1, semaphore.availablePermits(), "round " + round);
        }
    }

    @Test
    void shouldNeverLetMoreThreadsInThanTheBound() throws Exception {
        final int bound = 2;
        final int perThread = 100_000;
        final BoundedSemaphore created = newSemaphore(bound);
        final BoundedSemaphore attached = support.track(BoundedSemaphore.attach(created.file()));
        final BoundedSemaphore deserialised = support.roundTrip(created);
        final BoundedSemaphore[] handles = {created, attached, deserialised, attached};
        final AtomicInteger occupancy = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        final List<SyncTestSupport.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final BoundedSemaphore semaphore = handles[t];
            workers.add(support.start("bounded-" + t, () -> {
                for (int i = 0; i < perThread; i++) {
                    semaphore.acquire();
                    if (occupancy.incrementAndGet() > bound) {
                        violations.incrementAndGet();
                    }
                    occupancy.decrementAndGet();
                    semaphore.release();
                }
                return null;
            }));
        }
        for (final SyncTestSupport.Worker<Void> worker : workers) {
            worker.get();
        }
        assertEquals(0, violations.get());
        assertEquals(bound, deserialised.availablePermits());
    }

    @Test
    void shouldReleaseABlockedAcquirerFromAnotherMapping() throws Exception {
        final BoundedSemaphore semaphore = newSemaphore(1);
        assertTrue(semaphore.tryAcquire());
        final BoundedSemaphore other = support.roundTrip(semaphore);
        final SyncTestSupport.Worker<Boolean> waiter = support.start("acquirer", () -> {
            other.acquire();
            return true;
        });
        awaitSleepers(semaphore, 1);
        semaphore.release();
        assertTrue(waiter.get());
        assertEquals(0, semaphore.availablePermits());
    }

    @Test
    void shouldTimeOutOnTime() throws Exception {
        final BoundedSemaphore semaphore = newSemaphore(1);
        assertTrue(semaphore.tryAcquire(1, TimeUnit.SECONDS));
        final long timeoutMillis = 150;
        final long start = System.nanoTime();
        assertFalse(semaphore.tryAcquire(1, timeoutMillis, TimeUnit.MILLISECONDS));
        final long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= timeoutMillis && elapsed < timeoutMillis + 10_000, "returned after " + elapsed + " ms");
        assertEquals(0, semaphore.availablePermits());
    }

    @Test
    void shouldEndBlockingAcquireWithInterruptedException() throws Exception {
        final BoundedSemaphore semaphore = newSemaphore(1);
        assertTrue(semaphore.tryAcquire());
        final SyncTestSupport.Worker<Void> waiter = support.start("waiter", () -> {
            semaphore.acquire();
            return null;
        });
        awaitSleepers(semaphore, 1);
        waiter.thread().interrupt();
        waiter.failure(InterruptedException.class);
        semaphore.release();
        assertEquals(1, semaphore.availablePermits());
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> BoundedSemaphore.create(namespace, -1));
        final BoundedSemaphore semaphore = newSemaphore(2);
        assertThrows(IllegalArgumentException.class, () -> semaphore.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> semaphore.release(-1));
        final IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
            () -> semaphore.acquire(3));
        assertTrue(never.getMessage().contains("permits=3") && never.getMessage().contains("bound=2"),
            never.getMessage());
        assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(3));
        assertEquals(2, semaphore.availablePermits());
    }

    @Test
    void shouldShareOneBoundedSemaphoreByNameAndRefuseAnotherBound() throws Exception {
        final BoundedSemaphore first = support.track(Synchronizers.in(namespace).boundedSemaphore("pool", 3));
        final BoundedSemaphore second = support.track(BoundedSemaphore.create(namespace, "pool", 3));
        second.acquire(2);
        assertEquals(1, first.availablePermits());
        final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
            () -> BoundedSemaphore.create(namespace, "pool", 4));
        assertTrue(other.getMessage().contains("bound=3") && other.getMessage().contains("permits=4"),
            other.getMessage());
        assertThrows(KindMismatchException.class, () -> Semaphore.attach(first.file()));
        final BoundedSemaphore fresh = support.track(Synchronizers.in(namespace).boundedSemaphore(5));
        assertEquals(5, fresh.bound());
        assertThrows(IllegalStateException.class, fresh::release);
    }
}
