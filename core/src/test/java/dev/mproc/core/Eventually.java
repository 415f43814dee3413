package dev.mproc.core;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Polls an observable condition until it holds, failing the test after a deadline.
 * <p>
 * Why not a sleep: a test must wait for a state it can see (a sleeper announced, a thread parked,
 * a counter moved), not for a guess at how long that takes on a loaded machine. The short park
 * between polls only keeps the poller from taking a core away from the thread it watches.
 */
final class Eventually {
    /** Generous: these conditions normally hold within microseconds, but CI machines stall. */
    static final Duration DEFAULT_LIMIT = Duration.ofSeconds(20);

    private Eventually() {
    }

    static void until(final BooleanSupplier condition, final Supplier<String> what) {
        until(condition, DEFAULT_LIMIT, what);
    }

    static void until(final BooleanSupplier condition, final Duration limit, final Supplier<String> what) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail("not observed within " + limit.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(50_000);
        }
    }
}
