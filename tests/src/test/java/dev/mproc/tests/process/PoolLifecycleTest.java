package dev.mproc.tests.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.ipc.SharedLong;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;
import dev.mproc.process.ResultIterator;
import dev.mproc.sync.Event;
import dev.mproc.sync.Lock;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Pool}'s options and life: the initializer, worker JVM options, {@code maxTasksPerChild},
 * lazy {@code imap} over an endless input, {@code shutdown}/{@code join}, {@code terminate}, and
 * the shared objects its tasks capture. Each test builds its own pool, since most of them end it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class PoolLifecycleTest {
    private static final long PROMPT_SECONDS = 20;
    private static final int PROCESSES = 2;
    /** Beyond the imap window: the consumer's current chunk, and rounding. */
    private static final int IMAP_SLACK = 2;

    private Mproc mp;
    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void createNamespace() {
        mp = Mproc.create();
    }

    @AfterEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void endPools() throws InterruptedException {
        try {
            ChildProcesses.endPools(pools);
        } finally {
            mp.close();
        }
    }

    @Test
    void shouldRunTheInitializerOncePerWorkerBeforeItsTasks() throws InterruptedException {
        final Queue<Long> initialisedIn = mp.queue();
        final Pool pool = track(mp.poolBuilder().processes(PROCESSES).initializer(() -> {
            Tasks.put(initialisedIn, ProcessHandle.current().pid());
            System.setProperty("mproc.test.initialised", "by " + ProcessHandle.current().pid());
        }).build());

        final List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 200).boxed().toList(), 1);
        final List<String> seen = pool.map(x -> System.getProperty("mproc.test.initialised"),
            IntStream.range(0, 200).boxed().toList(), 1);
        pool.close();

        final List<Long> initialisers = new ArrayList<>();
        for (Long pid = initialisedIn.poll(); pid != null; pid = initialisedIn.poll()) {
            initialisers.add(pid);
        }
        assertEquals(initialisers.size(), new HashSet<>(initialisers).size(), "no worker ran it twice: " + initialisers);
        assertTrue(initialisers.containsAll(pids), "every worker that ran a task ran the initializer: initializer in "
            + initialisers + ", tasks in " + new HashSet<>(pids));
        assertEquals(PROCESSES, initialisers.size(), "a pool of " + PROCESSES + " that lost no worker starts "
            + PROCESSES + " workers, so the initializer runs " + PROCESSES + " times: it ran in " + initialisers
            + ", the tasks in " + new HashSet<>(pids));
        final Set<String> expected = new HashSet<>();
        pids.forEach(pid -> expected.add("by " + pid));
        assertTrue(expected.containsAll(seen), "every task saw its own worker's initialisation: " + new HashSet<>(seen));
    }

    @Test
    void shouldStartTheWorkersWithTheGivenJvmOptions() throws InterruptedException {
        final Pool pool = track(mp.poolBuilder().processes(1).jvmOptions("-Dmproc.test.foo=bar", "-Xmx96m").build());

        assertEquals("bar", pool.apply(() -> System.getProperty("mproc.test.foo")));
        final long maxHeap = pool.apply(() -> Runtime.getRuntime().maxMemory());
        assertTrue(maxHeap <= 96L << 20, "-Xmx96m reached the worker: max heap " + maxHeap);
        pool.close();
    }

    /**
     * Python's {@code Pool(2, maxtasksperchild=1)} runs each task in a fresh worker and keeps two
     * workers. Here a retiring worker's successor may start while it runs its last task (the
     * overlap the pool uses to hide start-up), and a worker that has finished may still be
     * exiting: per slot, one exiting, one running, one starting, so at most three times
     * {@code processes} worker JVMs alive at a moment. More means the pool starts a JVM per
     * pending task at once. That is watched while the map runs, and the test stops at the first
     * sight of it.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRunEachOfFiftyTasksInAFreshWorkerWithMaxTasksPerChildOne() throws Exception {
        final Pool pool = track(mp.poolBuilder().processes(PROCESSES).maxTasksPerChild(1)
            .jvmOptions("-XX:TieredStopAtLevel=1").build());
        final List<Integer> items = IntStream.range(0, 50).boxed().toList();
        final int mostWorkersAlive = 3 * PROCESSES;

        final CompletableFuture<List<PoolMapTest.Ran>> running = pool.mapAsync(
            x -> new PoolMapTest.Ran(x, ProcessHandle.current().pid()), items, 1);
        int peak = 0;
        while (!running.isDone()) {
            final List<String> workers = Process.activeChildren().stream().map(Process::name)
                .filter(name -> name.startsWith("PoolWorker-")).toList();
            peak = Math.max(peak, workers.size());
            assertTrue(workers.size() <= mostWorkersAlive, "a pool of " + PROCESSES + " with maxTasksPerChild=1 has "
                + workers.size() + " worker JVMs alive at once: " + workers);
            try {
                running.get(20, TimeUnit.MILLISECONDS); // a look at the workers every 20 ms meanwhile
            } catch (final TimeoutException e) {
                // Still running: look again.
            }
        }
        final List<PoolMapTest.Ran> ran = running.get();
        pool.close();

        assertEquals(items, ran.stream().map(PoolMapTest.Ran::item).toList(), "results in input order");
        final Set<Long> pids = new HashSet<>();
        ran.forEach(r -> pids.add(r.pid()));
        assertEquals(items.size(), pids.size(), "every task ran in a JVM of its own: " + ran);
        assertTrue(peak >= 1, "workers were seen");
    }

    /**
     * The input never ends, so only laziness lets this finish; and the pool may read ahead of the
     * consumer only by its window ({@link Pool#IMAP_WINDOW_PER_WORKER} chunks per worker), which
     * is checked by counting what it took from the iterator, until the pool has closed.
     */
    @Test
    void shouldImapOverAnEndlessIteratorReadingABoundedWayAhead() throws InterruptedException {
        final AtomicLong pulled = new AtomicLong();
        final Iterator<Long> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return pulled.getAndIncrement();
            }
        };
        final Pool pool = track(mp.pool(PROCESSES));
        final long bound = 1000 + (long) Pool.IMAP_WINDOW_PER_WORKER * pool.processes() + IMAP_SLACK;

        final ResultIterator<Long> doubled = pool.<Long, Long>imap(x -> x * 2, endless);
        for (long i = 0; i < 1000; i++) {
            assertTrue(doubled.hasNext());
            assertEquals(2 * i, doubled.next(), "result " + i);
        }
        final long pulledAtThousand = pulled.get();
        doubled.close();
        assertFalse(doubled.hasNext(), "nothing more after close()");
        pool.close();

        assertTrue(pulledAtThousand <= bound, "after 1000 results the pool had read " + pulledAtThousand
            + " items; bound " + bound);
        assertTrue(pulled.get() <= bound, "by the pool's close it had read " + pulled.get() + " items; bound " + bound);
        assertTrue(pool.isTerminated());
    }

    @Test
    void shouldCloseThePoolAfterAnImapIteratorIsClosedWithResultsPending() throws InterruptedException {
        final AtomicLong pulled = new AtomicLong();
        final Iterator<Long> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return pulled.getAndIncrement();
            }
        };
        final Pool pool = track(mp.pool(PROCESSES));
        final ResultIterator<Long> unordered = pool.<Long, Long>imapUnordered(x -> x, endless);
        final ResultIterator<Long> ordered = pool.<Long, Long>imap(x -> x + 1, List.of(1L, 2L, 3L, 4L).iterator());
        assertTrue(unordered.hasNext(), "results arrive");
        unordered.next();

        unordered.close();
        ordered.close(); // before consuming anything at all
        pool.close();   // must return: the closed calls hold nothing up

        assertFalse(unordered.hasNext());
        assertFalse(ordered.hasNext());
        assertTrue(pool.isTerminated());
    }

    @Test
    void shouldFinishSubmittedTasksAfterShutdownThenJoin() throws Exception {
        final Pool pool = track(mp.pool(PROCESSES));
        final Event release = mp.event();
        final List<CompletableFuture<PoolMapTest.Ran>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            final int item = i;
            futures.add(pool.submit(() -> {
                Tasks.await(release);
                return new PoolMapTest.Ran(item, ProcessHandle.current().pid());
            }));
        }

        pool.shutdown();
        assertTrue(pool.isShutdown());
        assertFalse(pool.isTerminated(), "its tasks are waiting for the release");
        release.set();
        pool.join();

        assertTrue(pool.isTerminated());
        assertTrue(pool.awaitTermination(0, TimeUnit.SECONDS));
        final Set<Long> workers = new HashSet<>();
        for (int i = 0; i < futures.size(); i++) {
            final CompletableFuture<PoolMapTest.Ran> future = futures.get(i);
            assertTrue(future.isDone(), "task " + i + " finished before join returned");
            assertEquals(i, future.get().item());
            workers.add(future.get().pid());
        }
        for (final long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " exited by join");
        }
    }

    @Test
    void shouldCancelUnfinishedTasksOnTerminateAndJoin() throws InterruptedException {
        final Pool pool = track(mp.pool(1));
        final SharedLong workerPid = mp.longValue(0);
        final Event running = mp.event();
        final Event never = mp.event();
        final CompletableFuture<Integer> busy = pool.submit(() -> {
            workerPid.set(ProcessHandle.current().pid());
            running.set();
            Tasks.await(never);
            return 1;
        });
        final CompletableFuture<Integer> queued = pool.submit(() -> 2);
        final CompletableFuture<Integer> queuedApply = pool.applyAsync(() -> 3);
        final CompletableFuture<List<Integer>> queuedMap = pool.mapAsync(x -> x, List.of(1, 2, 3));
        assertTrue(running.await(PROMPT_SECONDS, TimeUnit.SECONDS), "the first task never started; " + pool);
        final ProcessHandle worker = ChildProcesses.running(workerPid.get());

        pool.terminate();

        for (final CompletableFuture<?> future : List.of(busy, queued, queuedApply, queuedMap)) {
            assertThrows(CancellationException.class, () -> future.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        }
        pool.join();
        assertTrue(pool.isTerminated());
        assertFalse(worker.isAlive(), "the worker was stopped by the time join returned");
    }

    @Test
    void shouldRejectNewTasksAfterShutdown() throws InterruptedException {
        final Pool pool = track(mp.pool(1));
        assertEquals(1, pool.apply(() -> 1));

        pool.shutdown();

        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> pool.map(x -> x, List.of(1)));
        assertThrows(RejectedExecutionException.class, () -> pool.mapAsync(x -> x, List.of(1)));
        assertThrows(RejectedExecutionException.class, () -> pool.imap(x -> x, List.of(1)));
        assertThrows(RejectedExecutionException.class,
            () -> pool.execute((Runnable & java.io.Serializable) () -> { }));
        pool.join();
        assertTrue(pool.isTerminated());
    }

    @Test
    void shouldJoinOnlyAfterShutdownOrTerminate() {
        final Pool pool = track(mp.pool(1));

        assertThrows(IllegalStateException.class, pool::join, "join on a running pool, as Python's");
    }

    /**
     * Each of 200 tasks increments a cell with a plain read and write under the captured lock, in
     * two workers at once, and reports on the captured queue: every increment must survive.
     */
    @Test
    void shouldShareACapturedQueueLockAndIntArrayWithPoolTasks() throws InterruptedException {
        final Pool pool = track(mp.pool(PROCESSES));
        final Queue<Integer> done = mp.queue();
        final Lock lock = mp.lock();
        final SharedIntArray cells = mp.intArray(new int[] {0, 1000});
        final List<Integer> items = IntStream.range(0, 200).boxed().toList();

        final CompletableFuture<List<Integer>> running = pool.mapAsync(i -> {
            lock.lock();
            try {
                final int before = cells.get(0);
                cells.set(0, before + 1);
            } finally {
                lock.unlock();
            }
            Tasks.put(done, i);
            return cells.get(1) + i;
        }, items, 1);
        final List<Integer> results;
        try {
            results = running.get(PROMPT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new AssertionError("the map did not complete: " + pool + ", " + lock + " locked=" + lock.isLocked()
                + ", increments " + cells.get(0) + ", reports " + done.size() + ", workers " + Process.activeChildren(), e);
        }

        assertEquals(items.stream().map(i -> 1000 + i).toList(), results, "tasks read the parent's array");
        assertEquals(items.size(), cells.get(0), "no increment lost under the shared lock");
        final Set<Integer> reported = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            reported.add(done.poll(PROMPT_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(new HashSet<>(items), reported, "every task reported on the shared queue");
        assertTrue(done.isEmpty());
        pool.close();
    }

    private Pool track(final Pool pool) {
        pools.add(pool);
        return pool;
    }
}
