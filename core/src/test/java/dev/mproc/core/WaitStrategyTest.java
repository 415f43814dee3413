package dev.mproc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped wait strategy honours the {@link WaitStrategy} contract: the wait ends when another
 * thread makes the condition true (and wakes or signals), a timeout is neither cut short nor
 * overrun, interrupts are answered promptly or deferred and restored as asked, and no sleeper
 * announcement is left behind. Then the adaptive spin budget of {@link SpinThenSleepStrategy}.
 * <p>
 * The peer never acts after a fixed delay: it waits until it can see the waiter waiting (the
 * condition evaluated again after failing, and for sleeping strategies a sleeper announced).
 */
@Timeout(60)
class WaitStrategyTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long WORD_OFFSET = 0;
    /** Where a condition "held elsewhere" lives, away from the wait word. */
    private static final long FLAG_OFFSET = 64;
    private static final long FOREVER = WaitStrategy.FOREVER;

    private Arena arena;
    private MemorySegment memory;
    private WaitWord word;
    private final List<Thread> threads = new ArrayList<>();

    static Stream<Named<Supplier<WaitStrategy>>> strategies() {
        return Stream.of(
            Named.of("defaultStrategy", WaitStrategies::defaultStrategy),
            Named.of("sleeping", WaitStrategies::sleeping),
            Named.of("busySpin", WaitStrategies::busySpin),
            Named.of("idling(BackoffIdleStrategy)", () -> WaitStrategies.idling(BackoffIdleStrategy::new)),
            Named.of("spinThenSleep(tiny)", () -> WaitStrategies.spinThenSleep(
                1_000, 100, 2_000, TimeUnit.MILLISECONDS.toNanos(1))));
    }

    @BeforeEach
    void allocateWord() {
        arena = Arena.ofShared();
        memory = arena.allocate(128, 64);
        word = new WaitWord(memory, WORD_OFFSET);
    }

    @AfterEach
    void releaseWaitersAndCheckSleepers() throws InterruptedException {
        try {
            // A failed test may leave a waiter behind: satisfy every condition used here, wake it,
            // and interrupt it in case it waits for a condition that never holds.
            INT.setVolatile(memory, FLAG_OFFSET, 1);
            word.set(1);
            word.wakeAll();
            threads.forEach(Thread::interrupt);
            for (final Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(thread.isAlive(), "waiter still running: " + thread);
            }
            assertEquals(0, word.sleepers(), "a sleeper announcement was left behind");
        } finally {
            arena.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The condition made true by another thread ends the wait
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldEndTheWaitWhenAnotherThreadChangesTheWordAndWakes(final Supplier<WaitStrategy> factory)
        throws Exception {
        final WaitStrategy strategy = factory.get();
        final CountingCondition condition = new CountingCondition(() -> word.get() == 1);
        final CompletableFuture<Void> peer = startPeer(strategy, condition, () -> {
            word.set(1);
            word.wakeAll();
        });

        final long start = System.nanoTime();
        assertTrue(strategy.await(word, condition, TimeUnit.SECONDS.toNanos(30), true));
        assertElapsedBelow(start, TimeUnit.SECONDS.toNanos(10));
        peer.get(30, TimeUnit.SECONDS);
        assertEquals(0, word.sleepers());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldEndAnUntimedWaitWhenSignalledForAConditionHeldElsewhere(final Supplier<WaitStrategy> factory)
        throws Exception {
        final WaitStrategy strategy = factory.get();
        final CountingCondition condition = new CountingCondition(() -> (int) INT.getAcquire(memory, FLAG_OFFSET) == 1);
        final CompletableFuture<Void> peer = startPeer(strategy, condition, () -> {
            INT.setVolatile(memory, FLAG_OFFSET, 1);
            word.signalAll();
        });

        strategy.await(word, condition);

        assertTrue(condition.holds());
        peer.get(30, TimeUnit.SECONDS);
        assertEquals(0, word.sleepers());
    }

    @Test
    void shouldBeWokenByWakeAllRatherThanByTheEndOfItsSlice() throws Exception {
        assertWokenBeforeSliceEnds(() -> {
            word.set(1);
            word.wakeAll();
        }, () -> word.get() == 1);
    }

    @Test
    void shouldBeWokenBySignalAllRatherThanByTheEndOfItsSlice() throws Exception {
        assertWokenBeforeSliceEnds(() -> {
            INT.setVolatile(memory, FLAG_OFFSET, 1);
            word.signalAll();
        }, () -> (int) INT.getAcquire(memory, FLAG_OFFSET) == 1);
    }

    /**
     * With a one-minute slice, only a real wake-up (or the word already changed when the sleeper
     * reached the futex) can end the wait within seconds: a lost wake-up would show as a hang.
     */
    private void assertWokenBeforeSliceEnds(final Runnable release, final WaitCondition released) throws Exception {
        final SpinThenSleepStrategy strategy = WaitStrategies.spinThenSleep(0, 0, 0, TimeUnit.MINUTES.toNanos(1));
        final CompletableFuture<Boolean> result = startWaiter(() -> strategy.await(word, released, FOREVER, true));
        Eventually.until(() -> word.sleepers() == 1, () -> "waiter asleep: " + word);

        final long start = System.nanoTime();
        release.run();

        assertTrue(result.get(30, TimeUnit.SECONDS));
        assertElapsedBelow(start, TimeUnit.SECONDS.toNanos(10));
        assertEquals(0, word.sleepers());
    }

    // ---------------------------------------------------------------------------------------------
    // Timeouts
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldReturnFalseNoEarlierThanTheTimeout(final Supplier<WaitStrategy> factory) throws InterruptedException {
        final WaitStrategy strategy = factory.get();
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(200);

        final long start = System.nanoTime();
        final boolean satisfied = strategy.await(word, () -> false, timeoutNanos, true);
        final long elapsed = System.nanoTime() - start;

        assertFalse(satisfied);
        assertTrue(elapsed >= timeoutNanos, "returned early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "returned far too late: " + elapsed + " ns");
        assertEquals(0, word.sleepers());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldHonourATimeoutGivenWithAUnit(final Supplier<WaitStrategy> factory) throws InterruptedException {
        final WaitStrategy strategy = factory.get();

        final long start = System.nanoTime();
        assertFalse(strategy.await(word, () -> false, 150, TimeUnit.MILLISECONDS));
        final long elapsed = System.nanoTime() - start;

        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(150), "returned early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "returned far too late: " + elapsed + " ns");
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldReturnAtOnceWithoutTimeLeft(final Supplier<WaitStrategy> factory) throws InterruptedException {
        final WaitStrategy strategy = factory.get();

        final long start = System.nanoTime();
        assertFalse(strategy.await(word, () -> false, 0, true));
        assertFalse(strategy.await(word, () -> false, -1, true));
        assertTrue(strategy.await(word, () -> true, 0, true), "a condition that holds needs no time");
        assertElapsedBelow(start, TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, word.sleepers());
    }

    // ---------------------------------------------------------------------------------------------
    // Interrupts
    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldAnswerAnInterruptDuringATimedWaitPromptly(final Supplier<WaitStrategy> factory) throws Exception {
        assertInterruptAnswered(factory.get(), TimeUnit.SECONDS.toNanos(30));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldAnswerAnInterruptDuringAnUntimedWaitPromptly(final Supplier<WaitStrategy> factory) throws Exception {
        assertInterruptAnswered(factory.get(), FOREVER);
    }

    private void assertInterruptAnswered(final WaitStrategy strategy, final long timeoutNanos) throws Exception {
        final CountingCondition never = new CountingCondition(() -> false);
        final AtomicLong caughtAt = new AtomicLong();
        final CompletableFuture<Boolean> flagAfterCatch = new CompletableFuture<>();
        final Thread waiter = startThread(() -> {
            try {
                strategy.await(word, never, timeoutNanos, true);
                flagAfterCatch.completeExceptionally(new AssertionError("the wait ended without an interrupt"));
            } catch (final InterruptedException e) {
                caughtAt.set(System.nanoTime());
                flagAfterCatch.complete(Thread.currentThread().isInterrupted());
            } catch (final Throwable t) {
                flagAfterCatch.completeExceptionally(t);
            }
        });
        awaitWaiting(strategy, never);

        final long interruptedAt = System.nanoTime();
        waiter.interrupt();

        assertFalse(flagAfterCatch.get(30, TimeUnit.SECONDS), "the interrupt status must be cleared");
        final long latencyMillis = TimeUnit.NANOSECONDS.toMillis(caughtAt.get() - interruptedAt);
        assertTrue(latencyMillis < 1_000, "interrupt answered late: " + latencyMillis + " ms");
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(0, word.sleepers());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldThrowWhenInterruptedBeforeWaiting(final Supplier<WaitStrategy> factory) {
        final WaitStrategy strategy = factory.get();
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> strategy.await(word, () -> false, FOREVER, true));
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt status must be cleared");
        } finally {
            Thread.interrupted();
        }
        assertEquals(0, word.sleepers());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void shouldWaitThroughAnInterruptWhenUninterruptibleAndRestoreIt(final Supplier<WaitStrategy> factory)
        throws Exception {
        final WaitStrategy strategy = factory.get();
        final CountingCondition condition = new CountingCondition(() -> word.get() == 1);
        final CompletableFuture<Boolean> flagOnReturn = new CompletableFuture<>();
        final Thread waiter = startThread(() -> {
            try {
                strategy.awaitUninterruptibly(word, condition);
                flagOnReturn.complete(Thread.currentThread().isInterrupted());
            } catch (final Throwable t) {
                flagOnReturn.completeExceptionally(t);
            }
        });
        awaitWaiting(strategy, condition);

        waiter.interrupt();
        // Still waiting after the interrupt: the condition keeps being re-evaluated, no return.
        final long evaluationsAtInterrupt = condition.evaluations();
        Eventually.until(() -> condition.evaluations() >= evaluationsAtInterrupt + 3 || flagOnReturn.isDone(),
            () -> "waiter re-evaluating after the interrupt");
        assertFalse(flagOnReturn.isDone(), () -> "the wait ended on an interrupt: " + describe(flagOnReturn));

        word.set(1);
        word.wakeAll();

        assertTrue(flagOnReturn.get(30, TimeUnit.SECONDS), "the interrupt status must be restored on return");
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(0, word.sleepers());
    }

    // ---------------------------------------------------------------------------------------------
    // SpinThenSleepStrategy settings and adaptation
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldRejectInconsistentSpinSettings() {
        assertRejected(() -> WaitStrategies.spinThenSleep(5_000, 10_000, 1_000, 1_000_000), "minSpinNanos=10000");
        assertRejected(() -> new SpinThenSleepStrategy(0, -1, 1_000, 1_000_000), "minSpinNanos=-1");
        assertRejected(() -> new SpinThenSleepStrategy(500, 1_000, 2_000, 1_000_000), "initialSpinNanos=500");
        assertRejected(() -> new SpinThenSleepStrategy(3_000, 1_000, 2_000, 1_000_000), "initialSpinNanos=3000");
        assertRejected(() -> new SpinThenSleepStrategy(1_000, 1_000, 2_000, 0), "sliceNanos=0");
        assertRejected(() -> new SpinThenSleepStrategy(1_000, 1_000, 2_000, -5), "sliceNanos=-5");
    }

    private static void assertRejected(final Runnable construction, final String namedValue) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().contains(namedValue), () -> "message must name " + namedValue + ": " + e.getMessage());
    }

    @Test
    void shouldStartTheDefaultStrategyFromTheDocumentedSettings() {
        final SpinThenSleepStrategy strategy = WaitStrategies.defaultStrategy();
        assertEquals(Math.max(WaitStrategies.DEFAULT_MIN_SPIN_NANOS,
            Math.min(WaitStrategies.DEFAULT_INITIAL_SPIN_NANOS, WaitStrategies.DEFAULT_MAX_SPIN_NANOS)),
            strategy.spinBudgetNanos());
        assertEquals(WaitStrategies.DEFAULT_SLICE_NANOS, strategy.sliceNanos());
        assertEquals(0, WaitStrategies.sleeping().spinBudgetNanos());
        assertInstanceOf(SpinThenSleepStrategy.class, WaitStrategies.defaultStrategy());
        assertThrows(NullPointerException.class, () -> WaitStrategies.idling(null));
    }

    @Test
    void shouldGrowTheSpinBudgetAfterAShortWaitThatNeededASleep() throws Exception {
        final long initial = 1_000;
        final long max = TimeUnit.SECONDS.toNanos(5);
        final SpinThenSleepStrategy strategy = WaitStrategies.spinThenSleep(
            initial, initial, max, TimeUnit.MILLISECONDS.toNanos(10));
        final CountingCondition condition = new CountingCondition(() -> word.get() == 1);
        final CompletableFuture<Void> peer = startPeer(strategy, condition, () -> {
            word.set(1);
            word.wakeAll();
        });

        assertTrue(strategy.await(word, condition, TimeUnit.SECONDS.toNanos(30), true));
        peer.get(30, TimeUnit.SECONDS);

        // The wait spun its whole budget, slept, and ended well within maxSpin: the budget becomes
        // twice the wait, so that next time spinning alone would catch it.
        final long budget = strategy.spinBudgetNanos();
        assertTrue(budget >= 2 * initial, "budget did not grow: " + budget + " ns");
        assertTrue(budget <= max, "budget above its ceiling: " + budget + " ns");
    }

    @Test
    void shouldRaiseTheBudgetToTwiceAWaitThatEndedWhileSpinning() throws InterruptedException {
        final long initial = TimeUnit.MILLISECONDS.toNanos(1);
        final SpinThenSleepStrategy strategy = WaitStrategies.spinThenSleep(
            initial, 1_000, TimeUnit.SECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(10));

        // True 600 us after the wait began: inside the 1 ms budget, so normally caught by spinning.
        assertTrue(strategy.await(word, turnsTrueAfter(TimeUnit.MICROSECONDS.toNanos(600)),
            TimeUnit.SECONDS.toNanos(30), true));

        final long budget = strategy.spinBudgetNanos();
        assertTrue(budget >= TimeUnit.MICROSECONDS.toNanos(1_100), "budget not raised to twice the wait: " + budget);
        assertEquals(0, word.sleepers());
    }

    @Test
    void shouldHalveTheSpinBudgetAfterEachLongWaitDownToItsFloor() throws InterruptedException {
        final long min = 1_000;
        final long max = 64_000;
        final SpinThenSleepStrategy strategy = WaitStrategies.spinThenSleep(
            max, min, max, TimeUnit.MILLISECONDS.toNanos(1));
        long expected = max;
        for (int wait = 0; wait < 8; wait++) {
            // A condition that turns true by itself 3 ms after the wait began, far longer than maxSpin:
            // so the waiter spins its budget, sleeps in slices, and learns that spinning was wasted.
            assertTrue(strategy.await(word, turnsTrueAfter(TimeUnit.MILLISECONDS.toNanos(3)),
                TimeUnit.SECONDS.toNanos(30), true));
            expected = Math.max(min, expected / 2);
            assertEquals(expected, strategy.spinBudgetNanos(), "after long wait " + (wait + 1));
        }
        assertEquals(min, strategy.spinBudgetNanos());
        assertEquals(0, word.sleepers());
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A condition that turns true by itself once {@code nanos} have passed since its first
     * evaluation, which a strategy makes before it starts its own clock: the wait it measures is
     * then at least {@code nanos} (less a few instructions).
     */
    private static WaitCondition turnsTrueAfter(final long nanos) {
        final long[] first = {0};
        return () -> {
            final long now = System.nanoTime();
            if (first[0] == 0) {
                first[0] = now;
            }
            return now - first[0] >= nanos;
        };
    }

    /** A condition that counts its evaluations, so that a peer can see the waiter re-checking it. */
    private static final class CountingCondition implements WaitCondition {
        private final WaitCondition delegate;
        private final AtomicLong evaluations = new AtomicLong();

        CountingCondition(final WaitCondition delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isSatisfied() {
            evaluations.incrementAndGet();
            return delegate.isSatisfied();
        }

        long evaluations() {
            return evaluations.get();
        }

        boolean holds() {
            return delegate.isSatisfied();
        }
    }

    /**
     * Waits until the waiter is inside the wait: it has evaluated the condition more than once (so
     * it found it false and went round), and, for a strategy that sleeps, announced a sleeper.
     */
    private void awaitWaiting(final WaitStrategy strategy, final CountingCondition condition) {
        final boolean sleeps = strategy instanceof SpinThenSleepStrategy;
        Eventually.until(() -> condition.evaluations() >= 2 && (!sleeps || word.sleepers() > 0),
            () -> "waiter inside the wait: evaluations " + condition.evaluations() + ", " + word);
    }

    private CompletableFuture<Void> startPeer(
        final WaitStrategy strategy,
        final CountingCondition condition,
        final Runnable release) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        startThread(() -> {
            try {
                awaitWaiting(strategy, condition);
                release.run();
                done.complete(null);
            } catch (final Throwable t) {
                done.completeExceptionally(t);
                // Release the waiter anyway so that the test fails on the peer's error, not a hang.
                release.run();
            }
        });
        return done;
    }

    private interface Wait {
        boolean run() throws InterruptedException;
    }

    private CompletableFuture<Boolean> startWaiter(final Wait wait) {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        startThread(() -> {
            try {
                result.complete(wait.run());
            } catch (final Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private Thread startThread(final Runnable body) {
        final Thread thread = new Thread(body, "wait-strategy-test-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private static void assertElapsedBelow(final long start, final long limitNanos) {
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < limitNanos, "took " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms");
    }

    private static String describe(final CompletableFuture<Boolean> future) {
        try {
            return String.valueOf(future.getNow(null));
        } catch (final RuntimeException e) {
            return e.toString();
        }
    }
}
