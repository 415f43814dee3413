package dev.mproc.tests.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.mproc.Mproc;
import dev.mproc.ipc.SharedLong;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;
import dev.mproc.process.ResultIterator;
import dev.mproc.process.TaskFailedException;
import dev.mproc.process.WorkerDiedException;
import dev.mproc.sync.Event;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a {@link Pool} fails and recovers: a task that throws fails alone, with its remote cause; a
 * worker JVM that dies in the middle of a task ({@code Runtime.halt}, SIGKILL) fails that task
 * with {@link WorkerDiedException} naming the worker, is replaced, and the pool goes on; a task
 * that cannot be serialised is refused before anything is sent, with a message saying what to do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class PoolFailureTest {
    private static final long PROMPT_SECONDS = 20;
    private static final int PROCESSES = 2;
    private static final int SIGKILL_EXIT_CODE = -9;

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
    void shouldFailAThrowingTaskWithTheRemoteCauseAndKeepWorking() throws Exception {
        final TaskFailedException failed = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
            throw new IllegalStateException("task 7 refuses");
        }));

        final IllegalStateException cause = assertInstanceOf(IllegalStateException.class, failed.getCause(),
            "the cause is the task's own exception");
        assertEquals("task 7 refuses", cause.getMessage());
        assertTrue(ProcessLifecycleTest.hasFrameOfALambdaIn(cause, PoolFailureTest.class),
            "the remote stack trace shows the task's lambda: " + Arrays.toString(cause.getStackTrace()));
        assertFalse(failed instanceof WorkerDiedException, "the worker did not die");

        final CompletableFuture<Object> async = pool.applyAsync(() -> {
            throw new UnsupportedOperationException("async too");
        });
        final ExecutionException viaFuture = assertThrows(ExecutionException.class,
            () -> async.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(TaskFailedException.class, viaFuture.getCause());
        assertInstanceOf(UnsupportedOperationException.class, viaFuture.getCause().getCause());

        assertEquals(42, pool.apply(() -> 42), "the pool goes on after failed tasks");
        assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)));
    }

    @Test
    void shouldFailAMapWithAThrowingItemAndLetAnImapCarryOnPastIt() throws InterruptedException {
        final List<Integer> items = IntStream.range(0, 10).boxed().toList();

        final TaskFailedException mapFailed = assertThrows(TaskFailedException.class,
            () -> pool.map(x -> 100 / (x - 5), items, 2));
        assertInstanceOf(ArithmeticException.class, mapFailed.getCause(), "map raises the item's exception");

        final List<Object> outcomes = new ArrayList<>();
        try (ResultIterator<Integer> results = pool.imap(x -> 100 / (x - 5), items)) {
            while (results.hasNext()) {
                try {
                    outcomes.add(results.next());
                } catch (final TaskFailedException e) {
                    outcomes.add(e.getCause().getClass().getSimpleName());
                }
            }
        }
        assertEquals(List.of(-20, -25, -33, -50, -100, "ArithmeticException", 100, 50, 33, 25), outcomes,
            "imap raises for the failed item only, and goes on, as Python's does");
        assertEquals(items, pool.map(x -> x, items), "the pool goes on");
    }

    @Test
    void shouldFailWithWorkerDiedWhenATaskHaltsItsJvmAndReplaceTheWorker() throws InterruptedException {
        final SharedLong haltedPid = mp.longValue(0);

        final WorkerDiedException died = assertThrows(WorkerDiedException.class, () -> pool.apply(() -> {
            haltedPid.set(ProcessHandle.current().pid());
            Runtime.getRuntime().halt(7);
            return 0;
        }));

        assertEquals(haltedPid.get(), died.pid(), "names the dead worker");
        assertEquals(7, died.exitStatus(), "and its exit status");
        assertTrue(died.getMessage().contains(Long.toString(haltedPid.get())) && died.getMessage().contains("7"),
            "the message carries pid and status: " + died.getMessage());
        assertInstanceOf(TaskFailedException.class, died);

        final List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 40).boxed().toList(), 1);
        assertFalse(pids.contains(haltedPid.get()), "the dead worker ran nothing more: " + pids);
        final List<Process> workers = poolWorkers();
        assertEquals(PROCESSES, workers.size(), "the pool replaced the dead worker: " + workers);
        assertFalse(workers.stream().anyMatch(w -> w.pid() == haltedPid.get()), "the dead worker is gone: " + workers);
    }

    @Test
    void shouldFailWithWorkerDiedWhenAWorkerIsKilledMidTaskAndMapStillWorks() throws Exception {
        final SharedLong busyPid = mp.longValue(0);
        final Event running = mp.event();
        final Event never = mp.event();
        final CompletableFuture<Integer> busy = pool.applyAsync(() -> {
            busyPid.set(ProcessHandle.current().pid());
            running.set();
            Tasks.await(never);
            return 1;
        });
        assertTrue(running.await(PROMPT_SECONDS, TimeUnit.SECONDS), "the task never started; " + pool);

        ChildProcesses.running(busyPid.get()).destroyForcibly();

        final ExecutionException failed = assertThrows(ExecutionException.class, () -> busy.get(PROMPT_SECONDS, TimeUnit.SECONDS));
        final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
        assertEquals(busyPid.get(), died.pid());
        assertEquals(SIGKILL_EXIT_CODE, died.exitStatus(), died.getMessage());

        final List<Integer> items = IntStream.range(0, 100).boxed().toList();
        assertEquals(items.stream().map(x -> x + 1).toList(), pool.map(x -> x + 1, items), "the next map works");
        assertEquals(PROCESSES, poolWorkers().size(), "the pool replaced the killed worker: " + poolWorkers());
    }

    @Test
    void shouldRefuseATaskThatCannotBeSerialisedAtSubmitWithAMessageSayingWhatToDo() throws InterruptedException {
        final Callable<Integer> plainLambda = () -> 42;
        final IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> pool.submit(plainLambda));
        assertTrue(plain.getMessage().contains("SerializableCallable"), "says which type to use: " + plain.getMessage());

        final Runnable plainRunnable = () -> { };
        assertThrows(IllegalArgumentException.class, () -> pool.execute(plainRunnable));

        final Object notSerialisable = new Object();
        final IllegalArgumentException captured = assertThrows(IllegalArgumentException.class,
            () -> pool.apply(() -> notSerialisable.hashCode()));
        assertTrue(captured.getMessage().contains("java.lang.Object"), "names what it captured: " + captured.getMessage());
        assertTrue(captured.getMessage().contains("Serializable"), "says what may be captured: " + captured.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x + notSerialisable.hashCode(), List.of(1)),
            "a map function that captures it");

        final IllegalArgumentException item = assertThrows(IllegalArgumentException.class,
            () -> pool.map(x -> 1, List.of(new Object())));
        assertTrue(item.getMessage().contains("java.lang.Object"), "an item that cannot be sent: " + item.getMessage());

        assertEquals(List.of(2, 3), pool.map(x -> x + 1, List.of(1, 2)), "the pool goes on");
    }

    private static List<Process> poolWorkers() {
        return Process.activeChildren().stream().filter(child -> child.name().startsWith("PoolWorker-")).toList();
    }
}
