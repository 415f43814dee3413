package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.BoundedSemaphore;
import dev.mproc.sync.Semaphore;
import dev.mproc.tests.ChildMain;
import dev.mproc.tests.TestRegions;

/**
 * Child program for {@link SemaphoreAcrossJvmsTest}: repeatedly takes a permit of a cross-process
 * semaphore, counts itself into a shared occupancy counter while inside, and leaves.
 * <p>
 * Usage: {@code SemaphoreChild <dir> <semaphore|bounded> <rounds>}. Attaches to the
 * {@code semaphore} (a {@link Semaphore}) or {@code bounded} (a {@link BoundedSemaphore}) and the
 * {@code data} region, prints {@code READY}, waits for the start flag, then each round: acquire,
 * add one to {@link #OCCUPANCY}, raise {@link #MAX} to what it saw, stay a moment, subtract one,
 * release. Prints {@code DONE <the most it saw inside> <millis the rounds took>} and exits 0.
 */
public final class SemaphoreChild {
    /** JVMs inside now (long), changed atomically. */
    public static final long OCCUPANCY = 0;
    /** The most ever inside at once (long), raised atomically. */
    public static final long MAX = 64;
    /** The start flag (long), release-stored by the parent. */
    public static final long GO = 128;
    /** Body length of the data region. */
    public static final long LENGTH = 192;

    private SemaphoreChild() {
    }

    /**
     * @param args namespace directory, semaphore kind, rounds
     * @throws InterruptedException never: nothing interrupts the main thread
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        final int rounds = Integer.parseInt(args[2]);
        try (Namespace namespace = Namespace.attach(Path.of(args[0]));
             MappedRegion data = namespace.attachRegion("data", TestRegions.KIND, TestRegions.VERSION)) {
            final Permits permits = args[1].equals("bounded")
                ? new Permits(null, BoundedSemaphore.attach(namespace.pathOf("bounded")))
                : new Permits(Semaphore.attach(namespace.pathOf("semaphore")), null);
            ChildMain.say("READY");
            ChildMain.pollUntil("the start flag", () -> data.getLongAcquire(GO) != 0);
            long mostSeen = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                permits.acquire();
                try {
                    final long inside = data.getAndAddLong(OCCUPANCY, 1) + 1;
                    mostSeen = Math.max(mostSeen, inside);
                    raiseMax(data, inside);
                    // Stay inside a moment, so that JVMs overlap inside as often as the permits allow.
                    for (int k = 0; k < 50; k++) {
                        Thread.onSpinWait();
                    }
                    data.getAndAddLong(OCCUPANCY, -1);
                } finally {
                    permits.release();
                }
            }
            ChildMain.say("DONE " + mostSeen + " " + (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void raiseMax(final MappedRegion data, final long seen) {
        long max = data.getLongVolatile(MAX);
        while (seen > max && !data.compareAndSetLong(MAX, max, seen)) {
            max = data.getLongVolatile(MAX);
        }
    }

    /** Either kind of semaphore: they share no interface. */
    private record Permits(Semaphore plain, BoundedSemaphore bounded) {
        void acquire() throws InterruptedException {
            if (plain != null) {
                plain.acquire();
            } else {
                bounded.acquire();
            }
        }

        void release() {
            if (plain != null) {
                plain.release();
            } else {
                bounded.release();
            }
        }
    }
}
