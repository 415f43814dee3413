package dev.mproc.examples;

import java.util.List;
import java.util.Locale;

import dev.mproc.Mproc;
import dev.mproc.ipc.SharedLongArray;
import dev.mproc.process.Process;

/**
 * Two slow loops over the same list, one per process, running at the same time.
 *
 * <p>The Python original has a {@code square} function and a {@code cube} function, each walking
 * {@code [10, 20, 30, 40, 50]} and sleeping 0.2 s before printing each result. It runs them as two
 * processes, joins both and prints {@code Done}. Each loop takes about 1 s; because the processes
 * run concurrently the whole program takes about 1 s too, not 2.
 *
 * <p>Here each child also notes when its loop started and ended in a shared array, so that the
 * parent can show the overlap without counting the few hundred milliseconds a JVM takes to start.
 * The timestamps are {@link System#nanoTime()} values from different JVMs: on Linux they all read
 * the system-wide monotonic clock, so they can be compared.
 */
public final class SquareAndCube {

    private static final List<Integer> NUMBERS = List.of(10, 20, 30, 40, 50);
    private static final long PAUSE_MILLIS = 200;
    /** The timestamps: square's start and end, then cube's. */
    private static final int SQUARE_START = 0;
    private static final int CUBE_START = 2;
    private static final double NANOS_PER_SECOND = 1e9;

    private SquareAndCube() {
    }

    /**
     * Python's {@code square}: sleeps 0.2 s, then prints the square, for each number.
     *
     * @param numbers the numbers
     * @param times   where to note the loop's start and end
     */
    static void square(final List<Integer> numbers, final SharedLongArray times) {
        times.set(SQUARE_START, System.nanoTime());
        for (final int n : numbers) {
            pause();
            System.out.println("Square: " + n * n);
        }
        times.set(SQUARE_START + 1, System.nanoTime());
    }

    /**
     * Python's {@code cube}: sleeps 0.2 s, then prints the cube, for each number.
     *
     * @param numbers the numbers
     * @param times   where to note the loop's start and end
     */
    static void cube(final List<Integer> numbers, final SharedLongArray times) {
        times.set(CUBE_START, System.nanoTime());
        for (final int n : numbers) {
            pause();
            System.out.println("Cube: " + n * n * n);
        }
        times.set(CUBE_START + 1, System.nanoTime());
    }

    /** The slow part of each step: Python's {@code time.sleep(0.2)}. */
    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping between items", e);
        }
    }

    /**
     * Prints the squares and cubes as they come, interleaved, then how long the work took, then
     * {@code Done}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            final SharedLongArray times = mp.longArray(4);
            final Process squares = mp.process(() -> square(NUMBERS, times));
            final Process cubes = mp.process(() -> cube(NUMBERS, times));
            final long started = System.nanoTime();
            squares.start();
            cubes.start();
            squares.join();
            cubes.join();
            final long elapsed = System.nanoTime() - started;

            final long firstStart = Math.min(times.get(SQUARE_START), times.get(CUBE_START));
            final long lastEnd = Math.max(times.get(SQUARE_START + 1), times.get(CUBE_START + 1));
            final long oneAfterTheOther = times.get(SQUARE_START + 1) - times.get(SQUARE_START)
                + times.get(CUBE_START + 1) - times.get(CUBE_START);
            System.out.printf(Locale.ROOT, "Both loops ran in %.2f s (one after the other they would take %.2f s)%n",
                (lastEnd - firstStart) / NANOS_PER_SECOND, oneAfterTheOther / NANOS_PER_SECOND);
            System.out.printf(Locale.ROOT, "Elapsed: %.2f s, starting the two JVMs included%n", elapsed / NANOS_PER_SECOND);
            System.out.println("Done");
        }
    }
}
