package dev.mproc.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each lock benchmark, run by hand: every call runs its critical section once and releases the lock. */
class LockBenchmarkTest {
    private static final int CALLS = 3;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRunEachCriticalSectionOnceAndLeaveEveryLockFree() {
        final LockBenchmark benchmark = new LockBenchmark();
        benchmark.setUp();
        final Path directory = benchmark.namespace.directory();
        try {
            assertEquals(2, benchmark.namespace.regionNames().size(), "the Lock and RLock files in " + directory);
            final List<Runnable> sections = List.of(benchmark::mprocLock, benchmark::mprocLockTryLock,
                benchmark::mprocRLock, benchmark::jucReentrantLock, benchmark::jvmSynchronized);
            long expected = 0;
            for (final Runnable section : sections) {
                for (int i = 0; i < CALLS; i++) {
                    section.run();
                    expected++;
                    assertEquals(expected, benchmark.counter);
                    assertFalse(benchmark.anyHeld(), "a lock is still held after call " + expected);
                }
            }
        } finally {
            benchmark.tearDown();
        }
        assertFalse(Files.exists(directory), directory + " after tear-down");
        assertTrue(benchmark.namespace.isClosed());
    }
}
