package dev.mproc.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Barrier: many generations through three mappings with CyclicBarrier's arrival indices, and the
 * ways a generation breaks (timeout, interrupt, reset, abort), including for a waiter that only
 * looks at the outcome generations later.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BarrierTest {
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

    private Barrier newBarrier(final int parties) {
        return support.track(Barrier.create(namespace, parties));
    }

    private static void awaitWaiting(final Barrier barrier, final int count) {
        SyncTestSupport.until(() -> barrier.getNumberWaiting() == count,
            () -> "waiting " + barrier.getNumberWaiting() + ", wanted " + count + ": " + barrier);
    }

    /** 3 threads on 3 mappings meet 1,000 times; nobody leaves a generation before all arrived. */
    @Test
    void shouldTripThreePartiesOverAThousandGenerations() throws Exception {
        final int generations = 1_000;
        final Barrier created = newBarrier(3);
        final Barrier[] handles = {created, support.track(Barrier.attach(created.file())), support.roundTrip(created)};
        final int[][] indices = new int[3][generations];
        final AtomicIntegerArray arrived = new AtomicIntegerArray(generations);
        final AtomicIntegerArray leftEarly = new AtomicIntegerArray(generations);
        final List<SyncTestSupport.Worker<Void>> workers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            final int party = t;
            final Barrier barrier = handles[t];
            workers.add(support.start("party-" + t, () -> {
                for (int g = 0; g < generations; g++) {
                    arrived.incrementAndGet(g);
                    indices[party][g] = barrier.await(30, TimeUnit.SECONDS);
                    if (arrived.get(g) != 3) {
                        leftEarly.incrementAndGet(g);
                    }
                }
                return null;
            }));
        }
        for (final SyncTestSupport.Worker<Void> worker : workers) {
            worker.get();
        }
        for (int g = 0; g < generations; g++) {
            final int[] seen = {indices[0][g], indices[1][g], indices[2][g]};
            Arrays.sort(seen);
            assertArrayEquals(new int[] {0, 1, 2}, seen, "arrival indices of generation " + g);
            assertEquals(0, leftEarly.get(g), "parties released before all arrived in generation " + g);
        }
        assertFalse(created.isBroken());
        assertEquals(0, created.getNumberWaiting());
    }

    @Test
    void shouldNumberArrivalsAsCyclicBarrierDoes() throws Exception {
        final Barrier barrier = newBarrier(3);
        assertEquals(3, barrier.getParties());
        assertEquals(0, barrier.getNumberWaiting());
        final SyncTestSupport.Worker<Integer> first = support.start("first", barrier::await);
        awaitWaiting(barrier, 1);
        final Barrier other = support.roundTrip(barrier);
        final SyncTestSupport.Worker<Integer> second = support.start("second", other::await);
        awaitWaiting(barrier, 2);
        assertEquals(0, barrier.await(), "the last to arrive gets 0");
        assertEquals(2, first.get(), "the first to arrive gets parties - 1");
        assertEquals(1, second.get());
        assertEquals(0, barrier.getNumberWaiting());
    }

    @Test
    void shouldTripASinglePartyBarrierAtOnce() throws Exception {
        final Barrier barrier = newBarrier(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldBreakTheBarrierForAllWhenAWaiterTimesOut() throws Exception {
        final Barrier barrier = newBarrier(3);
        final Barrier attached = support.track(Barrier.attach(barrier.file()));
        final SyncTestSupport.Worker<Integer> patient = support.start("patient", barrier::await);
        awaitWaiting(barrier, 1);
        final long timeoutMillis = 200;
        final SyncTestSupport.Worker<Long> impatient = support.start("impatient", () -> {
            final long start = System.nanoTime();
            try {
                attached.await(timeoutMillis, TimeUnit.MILLISECONDS);
                return -1L;
            } catch (final TimeoutException e) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        });
        final long elapsed = impatient.get();
        assertTrue(elapsed >= timeoutMillis && elapsed < timeoutMillis + 10_000, "timed out after " + elapsed + " ms");
        patient.failure(BrokenBarrierException.class);
        assertTrue(barrier.isBroken());
        assertEquals(0, barrier.getNumberWaiting());

        // Broken until reset: arrivals fail at once, timed or not.
        assertThrows(BrokenBarrierException.class, barrier::await);
        final long start = System.nanoTime();
        assertThrows(BrokenBarrierException.class, () -> attached.await(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "a broken barrier made a party wait");
    }

    @Test
    void shouldBreakAtOnceOnAZeroTimeout() throws Exception {
        final Barrier barrier = newBarrier(2);
        assertThrows(TimeoutException.class, () -> barrier.await(0, TimeUnit.MILLISECONDS));
        assertTrue(barrier.isBroken());
    }

    @Test
    void shouldBreakTheBarrierWhenAWaiterIsInterrupted() throws Exception {
        final Barrier barrier = newBarrier(3);
        final SyncTestSupport.Worker<Integer> bystander = support.start("bystander", barrier::await);
        awaitWaiting(barrier, 1);
        final Barrier other = support.roundTrip(barrier);
        final SyncTestSupport.Worker<Integer> interrupted = support.start("interrupted",
            () -> other.await(1, TimeUnit.HOURS));
        awaitWaiting(barrier, 2);
        interrupted.thread().interrupt();
        interrupted.failure(InterruptedException.class);
        bystander.failure(BrokenBarrierException.class);
        assertTrue(barrier.isBroken());
    }

    @Test
    void shouldBreakTheBarrierWhenAPartyArrivesInterrupted() throws Exception {
        final Barrier barrier = newBarrier(2);
        final SyncTestSupport.Worker<Integer> waiter = support.start("waiter", barrier::await);
        awaitWaiting(barrier, 1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, barrier::await);
        waiter.failure(BrokenBarrierException.class);
        assertTrue(barrier.isBroken());
    }

    @Test
    void shouldBreakTheCurrentGenerationOnResetAndStartAFreshOne() throws Exception {
        final Barrier barrier = newBarrier(3);
        final Barrier attached = support.track(Barrier.attach(barrier.file()));
        final SyncTestSupport.Worker<Integer> first = support.start("first", barrier::await);
        final SyncTestSupport.Worker<Integer> second = support.start("second", attached::await);
        awaitWaiting(barrier, 2);
        support.awaitSleepers(barrier.file(), Barrier.KIND, BarrierLayout.LAYOUT_VERSION,
            BarrierLayout.SLEEPERS_OFFSET, 2);
        attached.reset();
        first.failure(BrokenBarrierException.class);
        second.failure(BrokenBarrierException.class);
        assertFalse(barrier.isBroken(), "reset leaves a fresh, unbroken generation");
        assertEquals(0, barrier.getNumberWaiting());

        final SyncTestSupport.Worker<Integer> third = support.start("third", barrier::await);
        final SyncTestSupport.Worker<Integer> fourth = support.start("fourth", attached::await);
        awaitWaiting(barrier, 2);
        assertEquals(0, barrier.await());
        assertEquals(3, third.get() + fourth.get(), "the other two indices are 1 and 2");
    }

    @Test
    void shouldStayBrokenAfterAbortUntilReset() throws Exception {
        final Barrier barrier = newBarrier(2);
        final Barrier other = support.roundTrip(barrier);
        final SyncTestSupport.Worker<Integer> waiter = support.start("waiter", barrier::await);
        awaitWaiting(barrier, 1);
        other.abort();
        waiter.failure(BrokenBarrierException.class);
        assertTrue(barrier.isBroken());
        assertEquals(0, barrier.getNumberWaiting());
        other.abort();
        assertThrows(BrokenBarrierException.class, barrier::await);
        assertThrows(BrokenBarrierException.class, () -> other.await(1, TimeUnit.HOURS));
        assertTrue(barrier.isBroken());

        barrier.reset();
        assertFalse(other.isBroken());
        final SyncTestSupport.Worker<Integer> again = support.start("again", other::await);
        awaitWaiting(barrier, 1);
        assertEquals(0, barrier.await());
        assertEquals(1, again.get());
    }

    /**
     * A waiter that looks at its generation's outcome only after later generations ended learns
     * it from the state (one generation later) or from the outcome ring (up to 64 later), and
     * beyond that reports it as unknown. The waiter is held back by a wait strategy that does not
     * start waiting until the test opens a gate.
     */
    @Test
    void shouldTellALateWakerHowItsGenerationEnded() throws Exception {
        assertEquals(1, lateWaker(true, 0).get(), "tripped, read from the state");
        assertEquals(1, lateWaker(true, 10).get(), "tripped, read from the ring");
        lateWaker(false, 0).failure(BrokenBarrierException.class);
        lateWaker(false, 10).failure(BrokenBarrierException.class);
        final BrokenBarrierException lost = lateWaker(true, BarrierLayout.RING_ENTRIES + 6)
            .failure(BrokenBarrierException.class);
        assertTrue(lost.getMessage().contains("no longer known"), lost.getMessage());
    }

    /**
     * @param trip        whether the waiter's generation trips (else it is reset)
     * @param laterResets how many further generations end (by reset) before the waiter looks
     * @return the waiter, released and about to report
     */
    private SyncTestSupport.Worker<Integer> lateWaker(final boolean trip, final int laterResets) throws Exception {
        final Barrier barrier = newBarrier(2);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final WaitStrategy delegate = WaitStrategies.defaultStrategy();
        final WaitStrategy gated = (word, condition, timeoutNanos, interruptible) -> {
            entered.countDown();
            gate.await();
            return delegate.await(word, condition, timeoutNanos, interruptible);
        };
        final Barrier late = support.track(barrier.withWaitStrategy(gated));
        final SyncTestSupport.Worker<Integer> waiter = support.start("late-" + trip + "-" + laterResets, late::await);
        assertTrue(entered.await(SyncTestSupport.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        if (trip) {
            assertEquals(0, barrier.await());
        } else {
            barrier.reset();
        }
        for (int i = 0; i < laterResets; i++) {
            barrier.reset();
        }
        gate.countDown();
        return waiter;
    }

    @Test
    void shouldRejectBadPartiesAndShareOneBarrierByName() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Barrier.create(namespace, 0));
        assertThrows(IllegalArgumentException.class, () -> Barrier.create(namespace, -3));
        final Barrier first = support.track(Synchronizers.in(namespace).barrier("meet", 2));
        final Barrier second = support.track(Barrier.create(namespace, "meet", 2));
        assertEquals(first.file(), second.file());
        final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
            () -> Barrier.create(namespace, "meet", 3));
        assertTrue(other.getMessage().contains("existing=2") && other.getMessage().contains("parties=3"),
            other.getMessage());
        final SyncTestSupport.Worker<Integer> waiter = support.start("named", first::await);
        awaitWaiting(second, 1);
        assertEquals(0, second.await());
        assertEquals(1, waiter.get());
        assertEquals(4, support.track(Synchronizers.in(namespace).barrier(4)).getParties());
    }
}
