package dev.mproc.examples;

import java.util.ArrayList;
import java.util.List;

import dev.mproc.Mproc;
import dev.mproc.process.Process;

/**
 * Several processes running the same function with different arguments.
 *
 * <p>The Python original builds {@code Process(target=print_func, args=(i,))} for {@code i} in
 * {@code range(4)}, starts them all, then joins them all. Each prints
 * {@code Process i: My number is i}; the four lines arrive in whatever order the processes run.
 */
public final class NumberedProcesses {

    private static final int COUNT = 4;

    private NumberedProcesses() {
    }

    /**
     * Python's {@code print_func}.
     *
     * @param number this process's number
     */
    static void printNumber(final int number) {
        System.out.println("Process " + number + ": My number is " + number);
    }

    /**
     * Prints {@code Process 0: My number is 0} to {@code Process 3: My number is 3}, in any order.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                final int number = i;
                processes.add(mp.process(() -> printNumber(number)));
            }
            for (final Process process : processes) {
                process.start();
            }
            for (final Process process : processes) {
                process.join();
            }
        }
    }
}
