package dev.mproc.jcstress.harness;

import java.util.concurrent.TimeUnit;

import dev.mproc.core.Futex;
import dev.mproc.core.WaitStrategies;

/**
 * Refuses to run a blocking test in a JVM where a lost wake-up could not show.
 * <p>
 * A jcstress Termination test catches a lost wake-up only if the sleeper then stays asleep past
 * jcstress's wait for it, and is reported STALE. Two settings would hide one instead:
 * <ul>
 *   <li>The sleep slice. mproc sleeps on a futex in bounded slices (10 ms by default) and re-checks
 *   its condition after each, so a lost wake-up costs one slice and the test would still report
 *   TERMINATED. The jcstress run of this module raises the slice for its forks with
 *   {@code -Dmproc.wait.sliceNanos}, far above the wait, so that a sleeper wakes only when woken.</li>
 *   <li>The futex. Where Linux's futex cannot be bound, mproc falls back to polling, which cannot
 *   lose a wake-up because it never sleeps in the kernel: the test would prove nothing about
 *   futex wake-ups across mappings.</li>
 * </ul>
 * Blocking tests call {@link #requireLostWakeUpsVisible()} from their state's constructor, so a
 * run outside this module's Maven set-up fails loudly instead of passing without proving anything.
 */
public final class WaitChecks {
    /** The least sleep slice: many times jcstress's wait before it declares a test STALE. */
    public static final long MIN_SLICE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final String PROBLEM = findProblem();

    private WaitChecks() {
    }

    private static String findProblem() {
        if (WaitStrategies.DEFAULT_SLICE_NANOS < MIN_SLICE_NANOS) {
            return "sleep slice is " + WaitStrategies.DEFAULT_SLICE_NANOS + " ns, under " + MIN_SLICE_NANOS
                + " ns: a lost wake-up would pass as a short delay; run through Maven, or give the forks"
                + " -jvmArgsPrepend \"-Dmproc.wait.sliceNanos=600000000000\"";
        }
        if (!Futex.system().isNative()) {
            return "Linux futex is not available in this JVM (" + Futex.system()
                + "): waits poll and cannot lose a wake-up, so the test would prove nothing";
        }
        return null;
    }

    /**
     * @throws IllegalStateException naming the setting that would hide a lost wake-up
     */
    public static void requireLostWakeUpsVisible() {
        if (PROBLEM != null) {
            throw new IllegalStateException(PROBLEM);
        }
    }
}
