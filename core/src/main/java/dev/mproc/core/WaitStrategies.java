package dev.mproc.core;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * The wait strategies mproc ships, and the default every primitive uses unless given another.
 * <p>
 * The default, {@link #defaultStrategy()}, spins for an adaptive budget and then sleeps on the
 * futex (see {@link SpinThenSleepStrategy}). Its settings can be changed for a whole JVM with
 * system properties, in nanoseconds: {@code mproc.wait.initialSpinNanos} (50 000),
 * {@code mproc.wait.minSpinNanos} (2 000), {@code mproc.wait.maxSpinNanos} (200 000) and
 * {@code mproc.wait.sliceNanos} (10 000 000: the bound on how late an interrupt or a dead peer is
 * noticed while asleep).
 */
public final class WaitStrategies {
    /** Default initial spin budget: about the time a futex wake-up takes on a VM. */
    public static final long DEFAULT_INITIAL_SPIN_NANOS = Long.getLong("mproc.wait.initialSpinNanos", 50_000L);
    /** Default floor of the spin budget. */
    public static final long DEFAULT_MIN_SPIN_NANOS = Long.getLong("mproc.wait.minSpinNanos", 2_000L);
    /** Default ceiling of the spin budget. */
    public static final long DEFAULT_MAX_SPIN_NANOS = Long.getLong("mproc.wait.maxSpinNanos", 200_000L);
    /** Default longest single futex sleep. */
    public static final long DEFAULT_SLICE_NANOS =
        Long.getLong("mproc.wait.sliceNanos", TimeUnit.MILLISECONDS.toNanos(10));

    private WaitStrategies() {
    }

    /**
     * @return a new default strategy (adaptive spin, then futex sleep in slices); each primitive
     *         takes its own so that each learns its own peer's rhythm
     */
    public static SpinThenSleepStrategy defaultStrategy() {
        final long min = Math.min(DEFAULT_MIN_SPIN_NANOS, DEFAULT_MAX_SPIN_NANOS);
        final long initial = Math.max(min, Math.min(DEFAULT_INITIAL_SPIN_NANOS, DEFAULT_MAX_SPIN_NANOS));
        return new SpinThenSleepStrategy(initial, min, DEFAULT_MAX_SPIN_NANOS, DEFAULT_SLICE_NANOS);
    }

    /**
     * @param initialSpinNanos the spin budget to start with
     * @param minSpinNanos     the least the budget decays to
     * @param maxSpinNanos     the most the budget grows to
     * @param sliceNanos       the longest single sleep
     * @return a spin-then-sleep strategy with these settings
     */
    public static SpinThenSleepStrategy spinThenSleep(
        final long initialSpinNanos,
        final long minSpinNanos,
        final long maxSpinNanos,
        final long sliceNanos) {
        return new SpinThenSleepStrategy(initialSpinNanos, minSpinNanos, maxSpinNanos, sliceNanos);
    }

    /**
     * @return a strategy that sleeps on the futex at once, without spinning (least CPU, slowest
     *         hand-off)
     */
    public static SpinThenSleepStrategy sleeping() {
        return new SpinThenSleepStrategy(0, 0, 0, DEFAULT_SLICE_NANOS);
    }

    /**
     * @return a strategy that only spins (lowest latency; burns a core per waiter)
     */
    public static WaitStrategy busySpin() {
        return BusySpinStrategy.INSTANCE;
    }

    /**
     * @param factory makes one Agrona idle strategy per waiting thread, e.g.
     *                {@code BackoffIdleStrategy::new}
     * @return a strategy that polls the condition and pauses with the idle strategy between polls
     */
    public static WaitStrategy idling(final Supplier<? extends IdleStrategy> factory) {
        return new IdleStrategyAdapter(Objects.requireNonNull(factory, "factory"));
    }
}
