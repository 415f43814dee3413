package dev.mproc.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.mproc.Mproc;
import dev.mproc.process.Pool;

/**
 * One asynchronous task per input, results collected after the pool has finished.
 *
 * <p>The Python original submits {@code pool.apply_async(square, args)} for each argument list of
 * {@code [[1], [2], ..., [9]]} on a {@code Pool(4)}, keeping the result handles; then
 * {@code pool.close()} (no more tasks) and {@code pool.join()} (wait for the workers), and finally
 * prints {@code [r.get() for r in results]}: {@code [1, 4, 9, 16, 25, 36, 49, 64, 81]}.
 *
 * <p>In Java: {@link Pool#applyAsync} returns a {@link CompletableFuture}; Python's {@code close()}
 * is {@link Pool#shutdown()}.
 */
public final class PoolApplyAsync {

    private PoolApplyAsync() {
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
     * Prints {@code [1, 4, 9, 16, 25, 36, 49, 64, 81]}.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the pool
     * @throws ExecutionException   if a task failed
     */
    public static void main(final String[] args) throws InterruptedException, ExecutionException {
        final List<List<Integer>> argumentLists = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            argumentLists.add(List.of(i));
        }
        try (Mproc mp = Mproc.create(); Pool pool = mp.pool(4)) {
            final List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (final List<Integer> arguments : argumentLists) {
                final int x = arguments.get(0);
                results.add(pool.applyAsync(() -> square(x)));
            }
            pool.shutdown();
            pool.join();
            final List<Integer> values = new ArrayList<>();
            for (final CompletableFuture<Integer> result : results) {
                values.add(result.get());
            }
            System.out.println(values);
        }
    }
}
