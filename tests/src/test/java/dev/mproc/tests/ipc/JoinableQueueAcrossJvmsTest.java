package dev.mproc.tests.ipc;

import dev.mproc.tests.MappedFileSleepProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.JoinableQueue;
import dev.mproc.ipc.SharedInt;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link JoinableQueue#join()} returns exactly when the last {@code taskDone()} of another JVM
 * happens: not before, and promptly after.
 * <p>
 * This JVM puts {@value #ITEMS} items; a worker JVM ({@link TaskWorkerChild}) takes them and
 * calls {@code taskDone()} for each, adding one to a shared counter just before each call, and
 * holds back the last call until told. Meanwhile a thread here is blocked in {@code join()}
 * (checked to be asleep in futex on the queue file). With one task left, {@code join} has not
 * returned, the timed form times out with {@code false}, and {@code unfinishedTasks()} is 1. Then
 * the worker makes its last call: {@code join} must return within a bound, and the counter it
 * reads on return (the worker's increments happen-before its taskDone calls, which happen-before
 * join's return) must be {@value #ITEMS}: a join that returned after fewer calls would read less.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the joiner sleeps in futex through /proc")
final class JoinableQueueAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final Duration WORK = Duration.ofSeconds(30);
    /** How long a timed join must wait in vain while a task is unfinished. */
    private static final Duration SHORT_JOIN = Duration.ofMillis(200);
    private static final int ITEMS = 10_000;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldReturnFromJoinExactlyWhenTheLastTaskIsDoneInAnotherJvm() throws Exception {
        try (JoinableQueue<Integer> queue = JoinableQueue.create(namespace);
             JoinableQueue<Integer> joinerHandle = JoinableQueue.attach(queue.file());
             SharedInt done = SharedInt.create(namespace, 0);
             ChildJvm worker = ChildJvm.start(TaskWorkerChild.class, queue.file().toString(), done.file().toString(),
                 Integer.toString(ITEMS))) {
            for (int i = 0; i < ITEMS; i++) {
                queue.put(i);
            }
            assertEquals(ITEMS, queue.unfinishedTasks(), "unfinished tasks after the puts");
            final CompletableFuture<Integer> doneSeenByJoin = CompletableFuture.supplyAsync(() -> {
                try {
                    joinerHandle.join();
                } catch (final InterruptedException e) {
                    throw new IllegalStateException("join was interrupted", e);
                }
                return done.get();
            }, runnable -> Thread.ofPlatform().name("joiner").start(runnable));

            worker.awaitLine("READY", STARTUP);
            worker.awaitLine("HOLDING_LAST", WORK);
            assertFalse(doneSeenByJoin.isDone(), () -> "join returned with a task unfinished: " + outcome(doneSeenByJoin));
            assertEquals(ITEMS - 1, done.get(), "taskDone calls made so far");
            assertEquals(1, queue.unfinishedTasks(), "unfinished tasks with the last one held back");
            assertFalse(queue.join(SHORT_JOIN.toMillis(), TimeUnit.MILLISECONDS), "a timed join returned true with a task unfinished");
            if (!MappedFileSleepProbe.awaitAsleepOn(ProcessHandle.current().pid(), queue.file(), PROMPT)) {
                fail("the joining thread never slept on the queue; join returned: " + doneSeenByJoin.isDone());
            }
            assertFalse(doneSeenByJoin.isDone(), () -> "join returned with a task unfinished: " + outcome(doneSeenByJoin));

            worker.send("FINISH");
            final int seen = doneSeenByJoin.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(ITEMS, seen, "taskDone calls made when join returned");
            worker.awaitLine("FINISHED", PROMPT);
            assertEquals(0, worker.waitFor(PROMPT), worker.describe("failed"));

            assertEquals(0, queue.unfinishedTasks(), "unfinished tasks at the end");
            assertTrue(queue.join(0, TimeUnit.MILLISECONDS), "a timed join with nothing unfinished");
            assertThrows(IllegalStateException.class, queue::taskDone, "one taskDone more than items put");
            assertEquals(0, queue.unfinishedTasks(), "unfinished tasks after the refused taskDone");
        }
    }

    private static String outcome(final CompletableFuture<Integer> joined) {
        return joined.isCompletedExceptionally() ? "failed: " + joined.exceptionNow() : "saw " + joined.resultNow();
    }
}
