package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.tests.ChildMain;
import dev.mproc.tests.TestRegions;

/**
 * Child program for {@link LockCounterAcrossJvmsTest}: increments a plain (non-atomic) long in
 * shared memory under a cross-process lock, racing its sibling JVMs.
 * <p>
 * Usage: {@code CounterChild <dir> <lock|rlock> <increments>}. Attaches to the {@code lock}
 * (or {@code rlock}) and the {@code data} region of the namespace, prints {@code READY}, waits for
 * the parent's start flag, prints {@code DONE <increments> <millis>}, exits 0. With an RLock every
 * increment takes the lock twice, re-entrantly, and releases it twice.
 */
public final class CounterChild {
    /** The counter (long): read plainly, then written plainly, so only the lock makes it exact. */
    public static final long COUNTER = 0;
    /** The start flag (long), release-stored by the parent once every child is ready. */
    public static final long GO = 64;
    /** Body length of the data region. */
    public static final long LENGTH = 128;

    private CounterChild() {
    }

    /**
     * @param args namespace directory, lock kind, increments
     */
    public static void main(final String[] args) {
        ChildMain.start();
        final Path directory = Path.of(args[0]);
        final boolean reentrant = args[1].equals("rlock");
        final int increments = Integer.parseInt(args[2]);
        try (Namespace namespace = Namespace.attach(directory);
             MappedRegion data = namespace.attachRegion("data", TestRegions.KIND, TestRegions.VERSION)) {
            final java.util.concurrent.locks.Lock lock = reentrant
                ? RLock.attach(namespace.pathOf("rlock")) : Lock.attach(namespace.pathOf("lock"));
            ChildMain.say("READY");
            ChildMain.pollUntil("the start flag", () -> data.getLongAcquire(GO) != 0);
            final long start = System.nanoTime();
            for (int i = 0; i < increments; i++) {
                lock.lock();
                try {
                    if (reentrant) {
                        lock.lock();
                    }
                    try {
                        // Plain read, then plain write: a lost update unless the lock excludes.
                        data.putLong(COUNTER, data.getLong(COUNTER) + 1);
                    } finally {
                        if (reentrant) {
                            lock.unlock();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
            ChildMain.say("DONE " + increments + " " + (System.nanoTime() - start) / 1_000_000);
        }
    }
}
