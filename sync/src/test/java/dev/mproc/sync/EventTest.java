package dev.mproc.sync;

import java.util.ArrayList;
import java.util.List;
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

/**
 * Event: set releases every waiter in every mapping, also when cleared again at once; clear
 * makes later waiters wait; timeouts and interrupts end waits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class EventTest {
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

    private Event newEvent() {
        return support.track(Event.create(namespace));
    }

    private void awaitSleepers(final Event event, final int count) {
        support.awaitSleepers(event.file(), Event.KIND, EventLayout.LAYOUT_VERSION, EventLayout.SLEEPERS_OFFSET,
            count);
    }

    /** Three waiters on three mappings, one untimed and two timed, all released by one set. */
    private List<SyncTestSupport.Worker<Boolean>> startThreeWaiters(final Event event) throws Exception {
        final Event attached = support.track(Event.attach(event.file()));
        final Event deserialised = support.roundTrip(event);
        final List<SyncTestSupport.Worker<Boolean>> waiters = new ArrayList<>();
        waiters.add(support.start("waiter-created", () -> {
            event.await();
            return true;
        }));
        waiters.add(support.start("waiter-attached", () -> attached.await(1, TimeUnit.HOURS)));
        waiters.add(support.start("waiter-deserialised", () -> deserialised.await(1, TimeUnit.HOURS)));
        awaitSleepers(event, 3);
        for (final SyncTestSupport.Worker<Boolean> waiter : waiters) {
            assertFalse(waiter.isDone(), "returned before set: " + waiter.thread().getName());
        }
        return waiters;
    }

    @Test
    void shouldReleaseThreeWaitersOnSet() throws Exception {
        final Event event = newEvent();
        final List<SyncTestSupport.Worker<Boolean>> waiters = startThreeWaiters(event);
        event.set();
        for (final SyncTestSupport.Worker<Boolean> waiter : waiters) {
            assertTrue(waiter.get(), waiter.thread().getName());
        }
        assertTrue(event.isSet());
    }

    /** Waiting is for the set to have happened: a clear right after it does not strand anyone. */
    @Test
    void shouldReleaseWaitersEvenIfClearedRightAfterSet() throws Exception {
        final Event event = newEvent();
        final List<SyncTestSupport.Worker<Boolean>> waiters = startThreeWaiters(event);
        event.set();
        event.clear();
        for (final SyncTestSupport.Worker<Boolean> waiter : waiters) {
            assertTrue(waiter.get(), waiter.thread().getName());
        }
        assertFalse(event.isSet());
    }

    @Test
    void shouldReturnAtOnceWhileSetAndWaitAgainAfterClear() throws Exception {
        final Event event = newEvent();
        final Event other = support.roundTrip(event);
        assertFalse(event.isSet());
        event.set();
        event.set();
        assertTrue(other.isSet());
        other.await();
        assertTrue(other.await(0, TimeUnit.SECONDS));
        other.clear();
        assertFalse(event.isSet());
        other.clear();
        final long timeoutMillis = 150;
        final long start = System.nanoTime();
        assertFalse(event.await(timeoutMillis, TimeUnit.MILLISECONDS));
        final long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= timeoutMillis && elapsed < timeoutMillis + 10_000, "returned after " + elapsed + " ms");
        assertFalse(event.await(0, TimeUnit.SECONDS));
        assertFalse(event.await(-1, TimeUnit.SECONDS));

        final SyncTestSupport.Worker<Boolean> waiter = support.start("after-clear",
            () -> other.await(1, TimeUnit.HOURS));
        awaitSleepers(event, 1);
        assertFalse(waiter.isDone(), "a cleared event released a waiter");
        event.set();
        assertTrue(waiter.get());
    }

    @Test
    void shouldEndWaitsWithInterruptedException() throws Exception {
        final Event event = newEvent();
        final SyncTestSupport.Worker<Void> untimed = support.start("untimed", () -> {
            event.await();
            return null;
        });
        final SyncTestSupport.Worker<Boolean> timed = support.start("timed", () -> event.await(1, TimeUnit.HOURS));
        awaitSleepers(event, 2);
        untimed.thread().interrupt();
        timed.thread().interrupt();
        untimed.failure(InterruptedException.class);
        timed.failure(InterruptedException.class);
        assertFalse(event.isSet());

        event.set();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, event::await, "as CountDownLatch: interrupted first, throws");
    }

    @Test
    void shouldShareOneEventByName() throws Exception {
        final Event first = support.track(Synchronizers.in(namespace).event("started"));
        final Event second = support.track(Event.create(namespace, "started"));
        assertEquals(first.file(), second.file());
        first.set();
        assertTrue(second.isSet());
        final Event fresh = support.track(Synchronizers.in(namespace).event());
        assertFalse(fresh.isSet());
    }
}
