package dev.mproc.tests.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.mproc.core.Namespace;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every timed blocking call, made in a child JVM on an object this JVM keeps blocked, returns
 * its "timed out" answer no sooner than its timeout and not much later: within
 * [{@value #TIMEOUT_MILLIS} ms, {@value #TIMEOUT_MILLIS} ms + {@value #SLACK_MILLIS} ms]
 * (generous: the machine is shared), measured around the call in the child. Having timed out, the
 * call has taken nothing: the lock is still this JVM's, the permits are as they were, a condition
 * waiter has both holds of its RLock back and no longer counts as waiting.
 * <p>
 * A barrier party that times out breaks the barrier for the others: a party of this JVM waiting
 * in the same generation gets {@link BrokenBarrierException}, and so does anyone arriving later
 * until {@code reset()}.
 * <p>
 * {@code tryAcquire(2, ...)} runs with one permit available: it must time out and leave that
 * permit, not keep it as a partial acquisition.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class TimedCallsAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final long TIMEOUT_MILLIS = 300;
    private static final long SLACK_MILLIS = 3_000;
    private static final int BARRIER_PARTIES = 3;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = SharedRoot.createPrivateNamespace();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Call.class, names = {
        "LOCK_TRY_LOCK_TIMED", "RLOCK_TRY_LOCK_TIMED", "SEMAPHORE_TRY_ACQUIRE_TIMED", "SEMAPHORE_TRY_ACQUIRE_TWO_TIMED",
        "EVENT_AWAIT_TIMED", "CONDITION_AWAIT_TIMED", "CONDITION_AWAIT_NANOS", "CONDITION_AWAIT_UNTIL",
        "CONDITION_AWAIT_FOR", "BARRIER_AWAIT_TIMED"})
    void shouldTimeOutOnTimeInAnotherJvmAndTakeNothing(final Call call) throws InterruptedException {
        try (SyncObjects objects = SyncObjects.create(namespace, BARRIER_PARTIES);
             ChildJvm child = ChildJvm.start(BlockingCallChild.class, namespace.directory().toString(), "timed", call.name(),
                 Long.toString(TIMEOUT_MILLIS))) {
            final int permitsLeft = call == Call.SEMAPHORE_TRY_ACQUIRE_TWO_TIMED ? SyncObjects.SEMAPHORE_PERMITS : 0;
            switch (call.target()) {
                case LOCK -> objects.lock().lock();
                case RLOCK -> objects.rlock().lock();
                case SEMAPHORE -> objects.semaphore().acquire(SyncObjects.SEMAPHORE_PERMITS - permitsLeft);
                default -> { }
            }
            final AtomicReference<Object> otherParty = new AtomicReference<>();
            final Thread party = call.target() == Call.Target.BARRIER ? startParty(objects, otherParty) : null;
            try {
                child.awaitLine("READY", STARTUP);
                child.send("GO");
                final String[] ended = child.awaitLine("ENDED", PROMPT.plusMillis(TIMEOUT_MILLIS + SLACK_MILLIS)).split(" ", 3);

                final String expected = switch (call.target()) {
                    case BARRIER -> "TimeoutException";
                    case CONDITION -> "false holds=2";
                    default -> "false";
                };
                assertEquals(expected, ended[2], child.describe("did not time out"));
                assertEquals("false", ended[1], child.describe("set its interrupt status"));
                final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(Long.parseLong(ended[0]));
                assertTrue(elapsedMillis >= TIMEOUT_MILLIS, child.describe("returned after " + elapsedMillis + " ms, before its timeout"));
                assertTrue(elapsedMillis <= TIMEOUT_MILLIS + SLACK_MILLIS,
                    child.describe("returned after " + elapsedMillis + " ms; timeout " + TIMEOUT_MILLIS + " ms"));
                assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));

                final Optional<Long> me = Optional.of(ProcessHandle.current().pid());
                switch (call.target()) {
                    case LOCK -> assertEquals(me, objects.lock().holderPid(), objects.lock().toString());
                    case RLOCK -> assertEquals(me, objects.rlock().holderPid(), objects.rlock().toString());
                    case SEMAPHORE -> assertEquals(permitsLeft, objects.semaphore().availablePermits(), "permits after a timed-out acquire");
                    case EVENT -> assertFalse(objects.event().isSet(), objects.event().toString());
                    case CONDITION -> {
                        assertEquals(0, objects.condition().waiting(), "the timed-out waiter still counts as waiting");
                        assertFalse(objects.conditionLock().isLocked(), objects.conditionLock().toString());
                    }
                    case BARRIER -> {
                        party.join(PROMPT);
                        assertInstanceOf(BrokenBarrierException.class, otherParty.get(),
                            "the party waiting in this JVM when the child timed out");
                        assertTrue(objects.barrier().isBroken(), objects.barrier().toString());
                        assertThrows(BrokenBarrierException.class, () -> objects.barrier().await(PROMPT.toMillis(), TimeUnit.MILLISECONDS),
                            "a party arriving at the broken barrier");
                    }
                }
            } finally {
                if (party != null) {
                    party.interrupt();
                    party.join(PROMPT);
                }
            }
        }
    }

    /**
     * Starts a party of this JVM waiting at the barrier, and waits until it has arrived, so that
     * it is in the generation the child's timeout breaks.
     */
    private static Thread startParty(final SyncObjects objects, final AtomicReference<Object> outcome) {
        final Thread party = Thread.ofPlatform().name("barrier-party").start(() -> {
            try {
                outcome.set(objects.barrier().await(PROMPT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (final Exception e) {
                outcome.set(e);
            }
        });
        final long deadline = System.nanoTime() + PROMPT.toNanos();
        while (objects.barrier().getNumberWaiting() != 1) {
            if (System.nanoTime() - deadline > 0) {
                fail("the party never arrived: " + objects.barrier() + ", outcome " + outcome.get());
            }
            LockSupport.parkNanos(100_000);
        }
        return party;
    }
}
