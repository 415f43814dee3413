package dev.mproc.tests;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sleeping on a {@link WaitWord} in one JVM and being woken from another: the futex must be the
 * shared (non-private) kind, the sleeper must announce itself so the waker enters the kernel, and
 * timeouts and interrupts must end a sleep within a bounded time.
 * <p>
 * Why the wake tests run the sleeper with a 120 s sleep slice and a 30 s timeout: with the default
 * 10 ms slice a sleeper re-checks its condition every 10 ms anyway, so it would "wake" promptly
 * even if the cross-process FUTEX_WAKE did nothing. With the slice longer than the timeout the only
 * way to end the sleep early is a real wake, so "woke within 10 s" proves the wake crossed JVMs.
 * For the same reason the waker first waits until the sleeper is inside futex_wait on the word
 * ({@link FutexSleepProbe}): a sleeper that has announced itself but not yet entered the kernel
 * would find the word changed and leave without needing any wake.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class FutexAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final long SLEEPER_TIMEOUT_MILLIS = 30_000;
    private static final String LONG_SLICE_NANOS = Long.toString(TimeUnit.SECONDS.toNanos(120));
    private static final long TIMEOUT_MILLIS = 500;
    /** Generous: the machine is shared, and a timed-out waiter may be descheduled for a while. */
    private static final long TIMEOUT_SLACK_MILLIS = 3_000;
    private static final int ROUND_TRIPS = 10_000;

    private Namespace namespace;
    private MappedRegion region;
    private WaitWord word;

    @BeforeEach
    void createWord() {
        namespace = Namespace.createPrivate();
        region = namespace.createRegion("word", TestRegions.KIND, TestRegions.VERSION, 64, r -> { });
        word = WaitWord.at(region, 0);
    }

    @AfterEach
    void closeNamespace() {
        region.close();
        namespace.close();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "futex and /proc/<pid>/task/<tid>/syscall are Linux's")
    void shouldWakeASleeperInAnotherJvm() {
        try (ChildJvm child = ChildJvm.start(FutexChild.class, Map.of("mproc.wait.sliceNanos", LONG_SLICE_NANOS),
            "sleep", namespace.directory().toString(), "word", Long.toString(SLEEPER_TIMEOUT_MILLIS))) {
            final long address = Long.parseLong(child.awaitLine("READY", STARTUP));
            // Announced, and inside futex_wait on the word (see FutexSleepProbe for why both).
            if (!FutexSleepProbe.awaitAsleepOn(child.pid(), address, () -> word.sleepers() == 1, STARTUP)) {
                fail(child.describe("never slept in futex on its word; sleepers=" + word.sleepers()));
            }

            word.set(1);
            word.wakeAll();
            final String[] ended = child.awaitLine("ENDED", PROMPT).split(" ");

            assertEquals("true", ended[0], child.describe("ended its wait without the condition"));
            assertTrue(Long.parseLong(ended[1]) < TimeUnit.MILLISECONDS.toNanos(SLEEPER_TIMEOUT_MILLIS),
                child.describe("slept out its timeout instead of being woken"));
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "futex and /proc/<pid>/task/<tid>/syscall are Linux's")
    void shouldWakeASleeperInThisJvmFromAnotherJvm() throws InterruptedException {
        try (ChildJvm child = ChildJvm.start(FutexChild.class, "wake", namespace.directory().toString(), "word",
            Long.toString(ProcessHandle.current().pid()), Long.toString(region.segment().address()))) {
            child.awaitLine("READY", STARTUP);
            // Pure futex, no spin, and a slice longer than the timeout (see the class comment).
            final WaitStrategy sleeper = WaitStrategies.spinThenSleep(0, 0, 0, Long.parseLong(LONG_SLICE_NANOS));

            final long start = System.nanoTime();
            final boolean satisfied = sleeper.await(word, () -> word.getAcquire() == 1, SLEEPER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            final long waited = System.nanoTime() - start;

            assertTrue(satisfied, child.describe("did not wake this JVM"));
            assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(SLEEPER_TIMEOUT_MILLIS) / 2,
                child.describe("woke this JVM only after " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms"));
            child.awaitLine("WOKE", PROMPT);
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
            assertEquals(0, word.sleepers(), "the sleeper withdrew its announcement");
        }
    }

    @Test
    void shouldTimeOutAWaitNobodyEndsInAnotherJvm() {
        try (ChildJvm child = ChildJvm.start(FutexChild.class,
            "timeout", namespace.directory().toString(), "word", Long.toString(TIMEOUT_MILLIS))) {
            for (final String strategy : new String[] {"sleeping", "default", "longSlice"}) {
                final String[] ended = child.awaitLine("ENDED " + strategy, STARTUP).split(" ");
                final long waitedMillis = TimeUnit.NANOSECONDS.toMillis(Long.parseLong(ended[1]));

                assertEquals("false", ended[0], child.describe(strategy + ": a wait nobody ended reported success"));
                assertTrue(waitedMillis >= TIMEOUT_MILLIS, child.describe(strategy + ": returned early"));
                assertTrue(waitedMillis <= TIMEOUT_MILLIS + TIMEOUT_SLACK_MILLIS, child.describe(strategy + ": returned late"));
            }
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnabledOnOs(value = OS.LINUX, disabledReason = "checks the waiter sleeps in futex through /proc")
    @ValueSource(strings = {"default", "sleeping"})
    void shouldEndAFutexWaitPromptlyOnInterrupt(final String strategyName) throws InterruptedException {
        final WaitStrategy strategy = strategyName.equals("default") ? WaitStrategies.defaultStrategy() : WaitStrategies.sleeping();
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final AtomicLong endedAt = new AtomicLong();
        final Thread waiter = Thread.ofPlatform().name("futex-waiter").start(() -> {
            try {
                strategy.await(word, () -> word.getAcquire() == 1);
                outcome.set("returned although nobody changed the word");
            } catch (final InterruptedException e) {
                endedAt.set(System.nanoTime());
                outcome.set(Thread.currentThread().isInterrupted() ? "interrupt status left set" : e);
            }
        });
        try {
            // The interrupt must reach a thread asleep in futex_wait, not one still spinning.
            if (!FutexSleepProbe.awaitAsleepOn(ProcessHandle.current().pid(), region.segment().address(),
                () -> word.sleepers() == 1, STARTUP)) {
                fail("the waiter never slept in futex on the word; it ended with " + outcome.get());
            }
            final long interruptedAt = System.nanoTime();
            waiter.interrupt();
            waiter.join(PROMPT);

            assertFalse(waiter.isAlive(), "the waiter ignored the interrupt");
            assertInstanceOf(InterruptedException.class, outcome.get());
            final long latency = endedAt.get() - interruptedAt;
            assertTrue(latency < TimeUnit.SECONDS.toNanos(1), "interrupt noticed after " + TimeUnit.NANOSECONDS.toMillis(latency) + " ms");
            assertEquals(0, word.sleepers(), "the interrupted waiter withdrew its announcement");
        } finally {
            waiter.interrupt();
            waiter.join(PROMPT);
        }
    }

    @Test
    void shouldCompleteTenThousandPingPongRoundTripsBetweenJvms() throws InterruptedException {
        try (ChildJvm child = ChildJvm.start(FutexChild.class,
            "pong", namespace.directory().toString(), "word", Integer.toString(ROUND_TRIPS))) {
            child.awaitLine("READY", STARTUP);
            final WaitStrategy strategy = WaitStrategies.defaultStrategy();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                final int pong = 2 * i + 2;
                word.set(pong - 1);
                word.wakeAll();
                if (!strategy.await(word, () -> word.getAcquire() == pong, PROMPT.toSeconds(), TimeUnit.SECONDS)) {
                    fail(child.describe("did not answer ping " + (pong - 1) + " within " + PROMPT.toSeconds()
                        + " s (round trip " + i + "); word is " + word.get()));
                }
            }
            assertEquals(Integer.toString(ROUND_TRIPS), child.awaitLine("DONE", PROMPT));
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
            assertEquals(2 * ROUND_TRIPS, word.get());
        }
    }
}
