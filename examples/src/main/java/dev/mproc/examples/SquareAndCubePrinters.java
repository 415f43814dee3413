package dev.mproc.examples;

import dev.mproc.Mproc;
import dev.mproc.process.Process;

/**
 * The smallest example: two functions, two processes, one argument each.
 *
 * <p>The Python original defines {@code print_square(num)} and {@code print_cube(num)}, runs
 * {@code print_square(10)} and {@code print_cube(10)} as two processes, starts both, joins both,
 * and prints {@code Done!}. The two results may come in either order; {@code Done!} is always
 * last.
 */
public final class SquareAndCubePrinters {

    private SquareAndCubePrinters() {
    }

    /**
     * Python's {@code print_square}.
     *
     * @param num the number
     */
    static void printSquare(final int num) {
        System.out.println("Square: " + num * num);
    }

    /**
     * Python's {@code print_cube}.
     *
     * @param num the number
     */
    static void printCube(final int num) {
        System.out.println("Cube: " + num * num * num);
    }

    /**
     * Prints {@code Square: 100} and {@code Cube: 1000} (in either order), then {@code Done!}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            final Process p1 = mp.process(() -> printSquare(10));
            final Process p2 = mp.process(() -> printCube(10));
            p1.start();
            p2.start();
            p1.join();
            p2.join();
            System.out.println("Done!");
        }
    }
}
