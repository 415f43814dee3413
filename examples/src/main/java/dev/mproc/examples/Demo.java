package dev.mproc.examples;

import java.util.Locale;

/**
 * Runs the eight seed programs one after the other, each under a heading: the README's demo.
 *
 * <p>Each program is the Java twin of a short Python {@code multiprocessing} tutorial program and
 * prints what the Python one prints; its class documentation tells the Python story. They run in
 * this JVM one at a time (their own children are separate JVMs, as always), and each releases its
 * namespace and pools before the next begins.
 */
public final class Demo {

    private Demo() {
    }

    /** A program's main method, which may throw what a main throws. */
    @FunctionalInterface
    private interface Program {
        void run(String[] args) throws Exception;
    }

    /**
     * @param args ignored
     * @throws Exception if a program fails; the later ones do not run
     */
    public static void main(final String[] args) throws Exception {
        final long started = System.nanoTime();
        run(1, "five processes square into a shared array", SharedArraySquares::main);
        run(2, "square and cube, two slow loops running concurrently", SquareAndCube::main);
        run(3, "a child's global list is not the parent's", ProcessIsolation::main);
        run(4, "print_square(10) and print_cube(10) in two processes", SquareAndCubePrinters::main);
        run(5, "Pool.map", PoolMap::main);
        run(6, "Pool.apply_async, results read after close and join", PoolApplyAsync::main);
        run(7, "process ids, and is_alive after join", ProcessPids::main);
        run(8, "four processes, one number each", NumberedProcesses::main);
        System.out.printf(Locale.ROOT, "%nAll eight programs ran in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static void run(final int number, final String title, final Program program) throws Exception {
        System.out.println();
        System.out.println("=== " + number + ". " + title + " ===");
        program.run(new String[0]);
    }
}
