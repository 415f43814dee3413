package dev.mproc.tests.sync;

import dev.mproc.tests.MappedFileSleepProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.core.Namespace;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interrupting a thread of another JVM blocked in a sync call: the call must end with
 * {@link InterruptedException} within 1 s (the sync types sleep in 10 ms slices and check the
 * interrupt status after each), with the interrupt status cleared as {@code java.util.concurrent}
 * does, having taken nothing, and the object must work afterwards: the same call, made again from
 * that JVM, succeeds once this JVM lets it.
 * <p>
 * What blocks the call is held here: the lock, the semaphore's only permit; the event is clear,
 * nobody signals the condition, and the barrier of two waits for this JVM to arrive. The child is
 * checked to be asleep in futex on the object's file before the interrupt
 * ({@link MappedFileSleepProbe}): an interrupt that arrived before the call would be seen by the
 * call's first check of the interrupt status and prove nothing about waking a sleeper.
 * <p>
 * An interrupted barrier party breaks its generation (as with {@code CyclicBarrier}); the barrier
 * is usable again after {@code reset()}. An interrupted condition waiter gets its lock back,
 * with both holds of the RLock, before the exception leaves {@code await}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the child sleeps in futex through /proc")
final class InterruptAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final long INTERRUPT_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BARRIER_PARTIES = 2;

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
        "LOCK_LOCK_INTERRUPTIBLY", "LOCK_TRY_LOCK_TIMED", "RLOCK_LOCK_INTERRUPTIBLY", "RLOCK_TRY_LOCK_TIMED",
        "SEMAPHORE_ACQUIRE", "SEMAPHORE_TRY_ACQUIRE_TIMED", "EVENT_AWAIT", "EVENT_AWAIT_TIMED",
        "CONDITION_AWAIT", "CONDITION_AWAIT_TIMED", "BARRIER_AWAIT", "BARRIER_AWAIT_TIMED"})
    void shouldEndACallBlockedInAnotherJvmPromptlyOnInterruptAndStayUsable(final Call call)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
        try (SyncObjects objects = SyncObjects.create(namespace, BARRIER_PARTIES)) {
            final Call.Target target = call.target();
            final Path file = objects.fileOf(target);
            holdBlocker(objects, target);
            try (ChildJvm child = ChildJvm.start(BlockingCallChild.class, namespace.directory().toString(), "interrupt", call.name())) {
                child.awaitLine("BLOCKING", STARTUP);
                awaitAsleep(child, file);

                child.send("INTERRUPT");
                final String[] ended = child.awaitLine("ENDED", PROMPT).split(" ", 3);

                final String expected = target == Call.Target.CONDITION ? "InterruptedException holds=2" : "InterruptedException";
                assertEquals(expected, ended[2], child.describe("ended otherwise than by the interrupt"));
                assertEquals("false", ended[1], child.describe("left the interrupt status set after throwing"));
                final long latency = Long.parseLong(ended[0]);
                assertTrue(latency < INTERRUPT_BOUND_NANOS,
                    child.describe("took " + TimeUnit.NANOSECONDS.toMillis(latency) + " ms to notice the interrupt"));
                assertNothingTaken(objects, target);

                if (target == Call.Target.BARRIER) {
                    assertTrue(objects.barrier().isBroken(), "an interrupted party breaks the barrier: " + objects.barrier());
                    objects.barrier().reset();
                }
                child.send("CHECK");
                child.awaitLine("CHECKING", PROMPT);
                awaitAsleep(child, file);
                final String expectedAgain = letThrough(objects, target);
                assertEquals(expectedAgain, child.awaitLine("USABLE", PROMPT), child.describe("could not make the call again"));
                assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
                assertLeftClean(objects, target);
            }
        }
    }

    /** Takes what makes the call block; the rest block without help. */
    private static void holdBlocker(final SyncObjects objects, final Call.Target target) throws InterruptedException {
        switch (target) {
            case LOCK -> objects.lock().lock();
            case RLOCK -> objects.rlock().lock();
            case SEMAPHORE -> objects.semaphore().acquire(SyncObjects.SEMAPHORE_PERMITS);
            default -> { }
        }
    }

    /** The interrupted call took nothing and changed nothing. */
    private static void assertNothingTaken(final SyncObjects objects, final Call.Target target) {
        final Optional<Long> me = Optional.of(ProcessHandle.current().pid());
        switch (target) {
            case LOCK -> assertEquals(me, objects.lock().holderPid(), "the lock changed hands: " + objects.lock());
            case RLOCK -> assertEquals(me, objects.rlock().holderPid(), "the lock changed hands: " + objects.rlock());
            case SEMAPHORE -> assertEquals(0, objects.semaphore().availablePermits(), "permits: " + objects.semaphore());
            case EVENT -> assertFalse(objects.event().isSet(), "the event: " + objects.event());
            case CONDITION -> {
                assertEquals(0, objects.condition().waiting(), "the interrupted waiter still counts as waiting");
                assertFalse(objects.conditionLock().isLocked(), "the waiter kept the lock: " + objects.conditionLock());
            }
            case BARRIER -> assertEquals(0, objects.barrier().getNumberWaiting(), "waiting parties: " + objects.barrier());
        }
    }

    /**
     * Lets the child's blocked call through: unlocks, releases, sets, signals, or arrives.
     *
     * @return the outcome the child should report
     */
    private static String letThrough(final SyncObjects objects, final Call.Target target)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
        switch (target) {
            case LOCK -> objects.lock().unlock();
            case RLOCK -> objects.rlock().unlock();
            case SEMAPHORE -> objects.semaphore().release(SyncObjects.SEMAPHORE_PERMITS);
            case EVENT -> objects.event().set();
            case CONDITION -> {
                objects.conditionLock().lock();
                try {
                    objects.condition().signal();
                } finally {
                    objects.conditionLock().unlock();
                }
                return "true holds=2";
            }
            case BARRIER -> {
                // The child arrived first (index parties - 1); this JVM trips the barrier (index 0).
                assertEquals(0, objects.barrier().await(PROMPT.toMillis(), TimeUnit.MILLISECONDS), "this JVM's arrival index");
                return Integer.toString(BARRIER_PARTIES - 1);
            }
        }
        return "true";
    }

    private static void assertLeftClean(final SyncObjects objects, final Call.Target target) {
        switch (target) {
            case LOCK -> assertFalse(objects.lock().isLocked(), objects.lock().toString());
            case RLOCK -> assertFalse(objects.rlock().isLocked(), objects.rlock().toString());
            case SEMAPHORE -> assertEquals(SyncObjects.SEMAPHORE_PERMITS, objects.semaphore().availablePermits(), objects.semaphore().toString());
            case EVENT -> assertTrue(objects.event().isSet(), objects.event().toString());
            case CONDITION -> {
                assertEquals(0, objects.condition().waiting(), "waiters left on the condition");
                assertFalse(objects.conditionLock().isLocked(), objects.conditionLock().toString());
            }
            case BARRIER -> assertFalse(objects.barrier().isBroken(), objects.barrier().toString());
        }
    }

    private static void awaitAsleep(final ChildJvm child, final Path file) {
        if (!MappedFileSleepProbe.awaitAsleepOn(child.pid(), file, PROMPT)) {
            fail(child.describe("never slept in futex on " + file));
        }
    }
}
