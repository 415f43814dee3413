package dev.mproc.tests.sync;

import dev.mproc.tests.MappedFileSleepProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Event;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import dev.mproc.tests.TestRegions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An event set in one JVM releases the threads waiting for it in three others, promptly, and
 * carries the setter's earlier plain write to each of them.
 * <p>
 * "Waiting" is checked, not assumed: each waiter must be asleep in futex on the event's file
 * ({@link MappedFileSleepProbe}) before the set, so a broken {@code await} that returned at once
 * or spun until the set could not pass. The release bound ({@value #RELEASE_BOUND_MILLIS} ms from
 * the set, measured here) is generous for a shared machine: a woken waiter needs well under 10 ms.
 * <p>
 * A set followed at once by a clear must still release every thread that was waiting: waiting is
 * for the set to have happened, not for the flag to be up when a waiter gets round to looking.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the waiters sleep in futex through /proc")
final class EventAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final long RELEASE_BOUND_MILLIS = 2_000;
    private static final int WAITERS = 3;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = SharedRoot.createPrivateNamespace();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldReleaseWaitersInThreeJvmsWhenAFourthSetsTheEvent() {
        releaseWaitersWith("SET");
    }

    @Test
    void shouldReleaseWaitersInThreeJvmsEvenIfTheSetterClearsTheEventAtOnce() {
        releaseWaitersWith("PULSE");
    }

    private void releaseWaitersWith(final String command) {
        final String dir = namespace.directory().toString();
        final List<ChildJvm> waiters = new ArrayList<>();
        try (MappedRegion data = namespace.createRegion("data", TestRegions.KIND, TestRegions.VERSION, EventChild.LENGTH, r -> { });
             Event event = Event.create(namespace, "event");
             ChildJvm setter = ChildJvm.start(EventChild.class, dir, "set")) {
            for (int i = 0; i < WAITERS; i++) {
                waiters.add(ChildJvm.start(EventChild.class, dir, "wait"));
            }
            setter.awaitLine("READY", STARTUP);
            for (final ChildJvm waiter : waiters) {
                waiter.awaitLine("WAITING", STARTUP);
                if (!MappedFileSleepProbe.awaitAsleepOn(waiter.pid(), event.file(), STARTUP)) {
                    fail(waiter.describe("never slept in futex on the event"));
                }
            }
            assertFalse(event.isSet(), "the event was set before anyone set it");

            final long setAt = System.nanoTime();
            setter.send(command);
            setter.awaitLine("SET", Duration.ofMillis(RELEASE_BOUND_MILLIS));
            for (final ChildJvm waiter : waiters) {
                final String payload = waiter.awaitLine("RELEASED", Duration.ofMillis(RELEASE_BOUND_MILLIS));
                final long releasedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setAt);
                assertTrue(releasedMillis <= RELEASE_BOUND_MILLIS, waiter.describe("was released " + releasedMillis + " ms after the set"));
                assertEquals(Long.toString(EventChild.VALUE), payload, waiter.describe("did not see the setter's write"));
            }
            assertEquals(command.equals("SET"), event.isSet(), "the event is set after a set, clear after a pulse");
            assertEquals(0, setter.waitFor(STARTUP), setter.describe("failed"));
            for (final ChildJvm waiter : waiters) {
                assertEquals(0, waiter.waitFor(STARTUP), waiter.describe("failed"));
            }
        } finally {
            waiters.forEach(ChildJvm::close);
        }
    }
}
