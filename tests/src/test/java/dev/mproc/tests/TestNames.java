package dev.mproc.tests;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for what these tests create outside private namespaces (named namespaces, isolated
 * roots), all starting with one prefix per test JVM.
 * <p>
 * Why: other builds on this machine use the same {@code /dev/shm/mproc-<user>} root at the same
 * time. A per-run prefix keeps two runs from meeting on a name, and lets the leftover check
 * ({@link NoLeftoversExtension}) tell what this run made from what others did.
 */
public final class TestNames {
    /** {@code mproc-it-<pid>-<random>}: unique to this test JVM. */
    public static final String RUN_PREFIX = "mproc-it-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt() & Integer.MAX_VALUE);

    private static final AtomicLong COUNTER = new AtomicLong();

    private TestNames() {
    }

    /**
     * @param what what the name is for, e.g. {@code "named"}
     * @return a name no other call, test JVM or build will produce; valid as a namespace name
     */
    public static String unique(final String what) {
        return RUN_PREFIX + "-" + what + "-" + COUNTER.incrementAndGet();
    }
}
