package dev.mproc.tests.process;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.core.SerializableCallable;
import dev.mproc.core.SerializableRunnable;
import dev.mproc.ipc.SharedInt;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;
import dev.mproc.process.ResultIterator;
import dev.mproc.process.TaskFailedException;
import dev.mproc.sync.Barrier;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Pool} of two worker JVMs doing what Python's {@code Pool} does: {@code map} (default
 * and explicit chunk sizes), {@code mapAsync}, {@code imap}, {@code imapUnordered},
 * {@code apply}, {@code applyAsync}, and the {@code ExecutorService} methods. Results are checked
 * in full, and where they ran is checked too: in worker JVMs, never in this one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class PoolMapTest {
    private static final long PROMPT_SECONDS = 20;
    private static final int PROCESSES = 2;
    /** How long a task waits for its partner at a barrier: both workers are up well before. */
    private static final long MEETING_SECONDS = 10;

    private Mproc mp;
    private Pool pool;

    @BeforeEach
    void createPool() {
        mp = Mproc.create();
        pool = mp.pool(PROCESSES);
    }

    @AfterEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closePool() throws InterruptedException {
        try {
            ChildProcesses.endPools(List.of(pool));
        } finally {
            mp.close();
        }
    }

    @Test
    void shouldReturnMapResultsInInputOrderComputedInTheWorkers() throws InterruptedException {
        final List<Integer> items = IntStream.range(0, 1000).boxed().toList();

        final List<Integer> squares = pool.map(x -> x * x, items);
        final List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), items);

        assertEquals(items.stream().map(x -> x * x).toList(), squares);
        assertFalse(pids.contains(ProcessHandle.current().pid()), "nothing runs in the pool's own JVM");
        assertEquals(List.of(), pool.map(x -> x, List.of()), "an empty input maps to an empty list");
    }

    /**
     * Eight items, default chunk size (one item per chunk for a pool of two), each waiting at a
     * two-party barrier: they can only finish if the chunks run in both workers at the same time.
     */
    @Test
    void shouldSpreadTheChunksOfAMapOverTheWorkers() throws InterruptedException {
        final Barrier pair = mp.barrier(2);
        final List<Integer> items = IntStream.range(0, 8).boxed().toList();
        assertEquals(1, pool.defaultChunkSize(items.size()), "Python's chunk size: 8 items over 4 chunks per worker");

        final List<Long> pids = pool.map(x -> {
            Tasks.meet(pair, MEETING_SECONDS);
            return ProcessHandle.current().pid();
        }, items);

        assertEquals(PROCESSES, new HashSet<>(pids).size(), "ran in both workers: " + pids);
    }

    @Test
    void shouldKeepTheItemsOfOneChunkTogetherWithAnExplicitChunkSize() throws InterruptedException {
        final List<Integer> items = IntStream.range(0, 100).boxed().toList();
        final int chunkSize = 7;

        final List<Ran> ran = pool.map(x -> new Ran(x, ProcessHandle.current().pid()), items, chunkSize);

        assertEquals(items, ran.stream().map(Ran::item).toList(), "results in input order");
        for (int start = 0; start < items.size(); start += chunkSize) {
            final List<Ran> chunk = ran.subList(start, Math.min(start + chunkSize, items.size()));
            assertEquals(1, chunk.stream().map(Ran::pid).distinct().count(),
                "items " + start + ".." + (start + chunk.size() - 1) + " form one chunk, run by one worker: " + chunk);
        }
        assertEquals(items.stream().map(x -> -x).toList(), pool.map(x -> -x, items, 1), "chunk size 1");
        assertEquals(items.stream().map(x -> -x).toList(), pool.map(x -> -x, items, 1000), "one chunk for all");
        assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, items, 0), "chunk size 0");
    }

    @Test
    void shouldCompleteMapAsyncWithTheResultsInOrder() throws Exception {
        final List<String> items = List.of("a", "bb", "ccc", "dddd");

        final CompletableFuture<List<Integer>> lengths = pool.mapAsync(String::length, items);
        final CompletableFuture<List<String>> upper = pool.mapAsync(String::toUpperCase, items, 3);

        assertEquals(List.of(1, 2, 3, 4), lengths.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("A", "BB", "CCC", "DDDD"), upper.get(PROMPT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void shouldGiveTheSameMultisetFromImapUnorderedAndTheSameSequenceFromImap() throws InterruptedException {
        final List<Integer> items = IntStream.range(0, 500).map(i -> i % 100).boxed().toList();
        final List<Integer> expected = items.stream().map(x -> x * 3).toList();

        final List<Integer> ordered = new ArrayList<>();
        try (ResultIterator<Integer> results = pool.imap(x -> x * 3, items)) {
            results.forEachRemaining(ordered::add);
        }
        final List<Integer> unordered = new ArrayList<>();
        try (ResultIterator<Integer> results = pool.imapUnordered(x -> x * 3, items)) {
            results.forEachRemaining(unordered::add);
        }

        assertEquals(expected, ordered, "imap: in input order");
        assertEquals(sorted(expected), sorted(unordered), "imapUnordered: every result once, duplicates included");
    }

    @Test
    void shouldRunApplyAndApplyAsyncInAWorker() throws Exception {
        final String name = pool.apply(() -> Process.current().name());
        final CompletableFuture<Long> pid = pool.applyAsync(() -> ProcessHandle.current().pid());
        final Integer nothing = pool.apply(() -> null);

        assertTrue(name.startsWith("PoolWorker-"), "Process.current() in a worker: " + name);
        assertNotEquals(ProcessHandle.current().pid(), pid.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        assertNull(nothing, "a task may return null");
    }

    /** Two tasks given to an idle pool of two must not queue behind each other in one worker. */
    @Test
    void shouldRunTwoSubmittedTasksInTwoWorkersAtOnce() throws Exception {
        final Barrier both = mp.barrier(2);
        final SerializableCallable<Long> meet = () -> {
            Tasks.meet(both, MEETING_SECONDS);
            return ProcessHandle.current().pid();
        };

        final CompletableFuture<Long> first = pool.submit(meet);
        final CompletableFuture<Long> second = pool.submit(meet);

        final long firstPid = getOrDescribe(first);
        final long secondPid = getOrDescribe(second);
        assertNotEquals(firstPid, secondPid, "the two tasks met at the barrier, so they ran in two workers");
    }

    @Test
    void shouldRunSubmitInvokeAllAndInvokeAnyAsAnExecutorService() throws Exception {
        final SharedInt ran = mp.intValue(0);
        final CompletableFuture<Integer> callable = pool.submit(() -> 6 * 7);
        final CompletableFuture<?> runnable = pool.submit((SerializableRunnable) () -> ran.incrementAndGet());
        final Future<String> withResult = pool.submit((Runnable & Serializable) () -> ran.incrementAndGet(), "done");
        pool.execute((Runnable & Serializable) () -> ran.incrementAndGet());

        assertEquals(42, callable.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        assertNull(runnable.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        assertEquals("done", withResult.get(PROMPT_SECONDS, TimeUnit.SECONDS));

        final List<SerializableCallable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> {
            throw new IllegalStateException("third fails");
        });
        final List<Future<Integer>> all = pool.invokeAll(tasks);
        assertEquals(3, all.size());
        assertTrue(all.stream().allMatch(Future::isDone), "invokeAll returns when all are done");
        assertEquals(1, all.get(0).get());
        assertEquals(2, all.get(1).get());
        final ExecutionException third = assertThrows(ExecutionException.class, () -> all.get(2).get());
        assertInstanceOf(TaskFailedException.class, third.getCause());
        assertInstanceOf(IllegalStateException.class, third.getCause().getCause());

        final List<SerializableCallable<String>> oneGood = List.of(() -> {
            throw new IllegalStateException("bad");
        }, () -> "good");
        assertEquals("good", pool.invokeAny(oneGood), "invokeAny returns the one that succeeded");
        final List<SerializableCallable<String>> noneGood = List.of(() -> {
            throw new IllegalStateException("bad 1");
        }, () -> {
            throw new IllegalStateException("bad 2");
        });
        assertThrows(ExecutionException.class, () -> pool.invokeAny(noneGood), "invokeAny with no success");

        pool.shutdown();
        pool.join();
        assertEquals(3, ran.get(), "the three runnables ran, once each");
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T getOrDescribe(final CompletableFuture<T> future)
        throws InterruptedException, ExecutionException {
        try {
            return future.get(PROMPT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (final TimeoutException e) {
            throw new AssertionError("no result within " + (PROMPT_SECONDS + 5) + " s", e);
        }
    }

    private static List<Integer> sorted(final List<Integer> values) {
        return values.stream().sorted().toList();
    }

    /** Which item ran in which worker. */
    record Ran(int item, long pid) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
