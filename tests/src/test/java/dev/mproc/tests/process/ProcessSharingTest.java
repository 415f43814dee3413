package dev.mproc.tests.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedInt;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.process.Process;
import dev.mproc.sync.Lock;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a child shares with its parent: the mproc handles its target captured (a {@link Queue}, a
 * {@link Lock}, a {@link SharedIntArray}) are the parent's objects, not copies, and
 * {@code Mproc.current()} in the child is the namespace the parent started it from.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class ProcessSharingTest {
    private static final long PROMPT_SECONDS = 20;

    private Mproc mp;

    @BeforeEach
    void createNamespace() {
        mp = Mproc.create();
    }

    @AfterEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void endChildrenAndCloseNamespace() {
        try {
            final List<String> running = ChildProcesses.killAll();
            assertTrue(running.isEmpty(), "children still running after the test: " + running);
        } finally {
            mp.close();
        }
    }

    /**
     * The lock is shown to be the same lock by exclusion, not by a flag: the child reports (through
     * the queue) that it is about to lock, while this JVM holds the lock; as long as this JVM holds
     * it the child's next write cannot have happened, and once this JVM unlocks it does.
     */
    @Test
    void shouldShareACapturedQueueLockAndIntArrayWithTheChild() throws InterruptedException {
        final Queue<String> messages = mp.queue();
        final Lock lock = mp.lock();
        final SharedIntArray cells = mp.intArray(new int[] {0, 0, 0, 42});
        final Process child = mp.process(() -> {
            cells.set(0, cells.get(3) + 1); // reads the parent's write, writes where the parent reads
            Tasks.put(messages, "about to lock");
            lock.lock();
            try {
                cells.set(1, 1);
                Tasks.put(messages, "locked");
            } finally {
                lock.unlock();
            }
            cells.set(2, 1);
        });

        lock.lock();
        try {
            child.start();
            assertEquals("about to lock", messages.poll(PROMPT_SECONDS, TimeUnit.SECONDS), child + " sent nothing");
            assertEquals(43, cells.get(0), "the child read 42 from the parent's array and wrote 43 into it");
            assertEquals(0, cells.get(1), "the child cannot pass lock() while this JVM holds the lock");
        } finally {
            lock.unlock();
        }
        assertEquals("locked", messages.poll(PROMPT_SECONDS, TimeUnit.SECONDS), "after the unlock the child gets the lock");
        assertTrue(child.join(PROMPT_SECONDS, TimeUnit.SECONDS), child + " did not end");
        assertEquals(0, child.exitCode(), child + " failed: " + child.failure());
        assertArrayEquals(new int[] {43, 1, 1, 42}, cells.toArray());
        assertTrue(lock.tryLock(), "the child released the lock");
        lock.unlock();
    }

    @Test
    void shouldAttachMprocCurrentInTheChildToTheParentsNamespace() throws InterruptedException {
        final SharedInt answer = mp.intValue("answer", 42);
        final Queue<Object> report = mp.queue();
        final Process child = mp.process(() -> {
            final Mproc here = Mproc.current();
            Tasks.put(report, here.directory().toString());
            Tasks.put(report, here.intValue("answer", -1).get());
            here.intValue("from-child", 0).set(7);
        });

        child.start();

        assertEquals(mp.directory().toString(), report.poll(PROMPT_SECONDS, TimeUnit.SECONDS),
            "Mproc.current() in the child is the parent's namespace; " + child);
        assertEquals(42, report.poll(PROMPT_SECONDS, TimeUnit.SECONDS), "the object the parent created by name");
        assertTrue(child.join(PROMPT_SECONDS, TimeUnit.SECONDS), child + " did not end");
        assertEquals(0, child.exitCode(), child + " failed: " + child.failure());
        assertEquals(7, mp.intValue("from-child", 0).get(), "the object the child created by name, seen here");
        assertEquals(42, answer.get());
        assertTrue(Path.of(mp.directory().toString()).toFile().isDirectory(), "the child's exit leaves the namespace in place");
    }
}
