package dev.mproc.examples;

import java.util.List;

import dev.mproc.Mproc;
import dev.mproc.process.Pool;

/**
 * A pool of worker processes mapping a function over a list.
 *
 * <p>The Python original opens {@code with Pool(5) as p:} and prints {@code p.map(square, [1, 2, 3])},
 * that is {@code [1, 4, 9]}; a second pool, of 4 processes, maps the same function over
 * {@code [1, 2, 3, 4, 5]} and prints {@code [1, 4, 9, 16, 25]}. Results come back in input order,
 * whichever worker computed them.
 */
public final class PoolMap {

    private PoolMap() {
    }

    /**
     * Python's {@code square}.
     *
     * @param x the number
     * @return its square
     */
    static int square(final int x) {
        return x * x;
    }

    /**
     * Prints {@code [1, 4, 9]}, then {@code [1, 4, 9, 16, 25]}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the results
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            try (Pool pool = mp.pool(5)) {
                System.out.println(pool.map(PoolMap::square, List.of(1, 2, 3)));
            }
            try (Pool pool = mp.pool(4)) {
                System.out.println(pool.map(PoolMap::square, List.of(1, 2, 3, 4, 5)));
            }
        }
    }
}
