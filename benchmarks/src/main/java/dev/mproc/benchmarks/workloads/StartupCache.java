package dev.mproc.benchmarks.workloads;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mproc.process.Pool;
import dev.mproc.process.Process;

/**
 * Turns the process module's start-up cache (an AOT cache for child JVMs, system property
 * {@value #PROPERTY}) on or off for the children a side starts from now on.
 * <p>
 * The harness starts every side with it off, so that no cache is built in the background while
 * something is measured; the workloads that time start-ups turn it on, wait until it is built
 * (untimed), and time starts with it, beside starts without it.
 */
final class StartupCache {
    /** The process module's setting, read at every child start. */
    static final String PROPERTY = "mproc.process.aotCache";
    /** The build takes a few seconds of one CPU; far longer on a loaded machine. */
    private static final long BUILD_TIMEOUT_SECONDS = 300;

    private StartupCache() {
    }

    /** Children started from now on start without a cache. */
    static void off() {
        System.setProperty(PROPERTY, "false");
    }

    /**
     * Turns the cache on, builds it for the default child command line if it is not built yet and
     * waits for it.
     *
     * @return a line for the workload's notes
     * @throws IllegalStateException if this side's children cannot have a cache, or it was not built in time
     */
    static String on() throws InterruptedException {
        System.setProperty(PROPERTY, "true");
        final long start = System.nanoTime();
        return describe(Process.awaitStartupCache(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), start);
    }

    /**
     * As {@link #on()}, for the workers of a pool with the default options (their command line
     * differs from a plain child's: they have a cache of their own).
     *
     * @return a line for the workload's notes
     * @throws IllegalStateException if they cannot have a cache, or it was not built in time
     */
    static String onForPoolWorkers() throws InterruptedException {
        System.setProperty(PROPERTY, "true");
        final long start = System.nanoTime();
        return describe(Pool.awaitStartupCache(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), start);
    }

    private static String describe(final Optional<Path> cache, final long start) {
        if (cache.isEmpty()) {
            throw new IllegalStateException("no start-up cache for this side's children: "
                + Process.startupCacheUnavailableReason().orElse("not built within " + BUILD_TIMEOUT_SECONDS + " s"));
        }
        return String.format(java.util.Locale.ROOT, "start-up cache %s (%d MB) ready after %.1f s (built by a "
                + "background JVM the first time, untimed)", cache.get().getFileName(),
            cache.get().toFile().length() >> 20, (System.nanoTime() - start) / 1e9);
    }
}
