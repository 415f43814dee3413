package dev.mproc.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mproc.Mproc;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.process.Process;

/**
 * Five processes fill one shared array, then the parent reads it.
 *
 * <p>The Python original makes {@code Array('i', 5)}, starts one {@code Process} per number 1 to 5
 * whose target writes the number's square into its own slot, joins them all and prints
 * {@code arr[:]}, that is {@code [1, 4, 9, 16, 25]}. The array lives in shared memory, so what the
 * children wrote is what the parent sees; an ordinary list would have stayed all zeros.
 */
public final class SharedArraySquares {

    private static final int COUNT = 5;

    private SharedArraySquares() {
    }

    /**
     * Python's target: writes {@code n * n} into {@code results[index]}.
     *
     * @param n       the number
     * @param results the shared array
     * @param index   the slot this process owns
     */
    static void square(final int n, final SharedIntArray results, final int index) {
        results.set(index, n * n);
    }

    /**
     * Prints {@code [1, 4, 9, 16, 25]}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            final SharedIntArray results = mp.intArray(COUNT);
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                final int index = i;
                processes.add(mp.process(() -> square(index + 1, results, index)));
            }
            for (final Process process : processes) {
                process.start();
            }
            for (final Process process : processes) {
                process.join();
            }
            System.out.println(Arrays.toString(results.toArray()));
        }
    }
}
