package dev.mproc.examples;

import java.util.ArrayList;
import java.util.List;

import dev.mproc.Mproc;
import dev.mproc.process.Process;

/**
 * A child changes a global list; the parent's copy does not change.
 *
 * <p>The Python original keeps a module-level {@code result = []}. A process's target appends the
 * squares of {@code [1, 2, 3, 4]} to it and prints it, showing {@code [1, 4, 9, 16]}; after
 * {@code join()} the parent prints its own {@code result}, which is still {@code []}. Each process
 * has its own memory: only shared objects (queues, values, arrays) cross the boundary.
 *
 * <p>The Java version is the same with a static list: the child is another JVM, which loads this
 * class afresh.
 */
public final class ProcessIsolation {

    /** Python's global {@code result}: one per process. */
    private static final List<Integer> RESULT = new ArrayList<>();

    private ProcessIsolation() {
    }

    /**
     * Python's {@code square_list}: appends each square to {@link #RESULT} and prints it.
     *
     * @param numbers the numbers
     */
    static void squareList(final List<Integer> numbers) {
        for (final int n : numbers) {
            RESULT.add(n * n);
        }
        System.out.println("Result in process p1: " + RESULT);
    }

    /**
     * Prints the child's list, {@code [1, 4, 9, 16]}, then the parent's, {@code []}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the child
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            final List<Integer> numbers = List.of(1, 2, 3, 4);
            final Process p1 = mp.process("p1", () -> squareList(numbers));
            p1.start();
            p1.join();
            System.out.println("Result in main program: " + RESULT);
        }
    }
}
