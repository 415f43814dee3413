package dev.mproc.tests.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.Mproc;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.sync.Event;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens to a process's children when the process itself ends: a daemon child ends with
 * its parent; children of a parent killed by SIGKILL (which runs no exit code at all) notice and
 * exit, pool workers included; a non-daemon child is waited for at the parent's normal exit and
 * finishes its work first.
 * <p>
 * The parent here is a separate JVM ({@link ProcessParentChild}, started by {@link ChildJvm}), so
 * the test can let it exit or kill it; the children are its mproc children, whose pids it prints.
 * Those grandchildren are not this JVM's children: the test watches them through
 * {@link ProcessHandle}, and kills any that survive a failed test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class ProcessParentExitTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration PROMPT = Duration.ofSeconds(15);
    /** How soon an orphan must be gone: it should take about a second (its exit, or its halt after 5 s). */
    private static final long ORPHAN_BOUND_SECONDS = 10;

    private Mproc mp;
    private final List<ProcessHandle> grandchildren = new ArrayList<>();

    @BeforeEach
    void createNamespace() {
        mp = Mproc.create();
    }

    @AfterEach
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void killSurvivorsAndCloseNamespace() {
        try {
            final List<Long> survivors = ChildProcesses.killAll(grandchildren);
            assertTrue(survivors.isEmpty(), "grandchildren still running after the test: " + survivors);
        } finally {
            mp.close();
        }
    }

    @Test
    void shouldEndADaemonChildWhenItsParentExits() {
        try (ChildJvm parent = ChildJvm.start(ProcessParentChild.class, "daemon", mp.directory().toString())) {
            final ProcessHandle child = grandchild(parent, "CHILD");

            parent.send("EXIT");
            parent.awaitLine("MAIN_RETURNING", PROMPT);
            assertEquals(0, parent.waitFor(PROMPT), parent.describe("should exit normally, not wait for its daemon child"));

            assertTrue(ChildProcesses.awaitEnd(child, ORPHAN_BOUND_SECONDS),
                parent.describe("exited, but its daemon child " + child.pid() + " still runs " + ORPHAN_BOUND_SECONDS + " s later"));
        }
    }

    @Test
    void shouldEndTheChildrenAndPoolWorkersOfAParentKilledBySigkill() {
        try (ChildJvm parent = ChildJvm.start(ProcessParentChild.class, "orphans", mp.directory().toString())) {
            final List<ProcessHandle> children = List.of(grandchild(parent, "CHILD"), grandchild(parent, "CHILD"),
                grandchild(parent, "WORKER"), grandchild(parent, "WORKER"));
            parent.awaitLine("STARTED", PROMPT);

            parent.kill();
            assertEquals(128 + 9, parent.waitFor(PROMPT), parent.describe("was not ended by SIGKILL"));
            final long killedAt = System.nanoTime();

            for (final ProcessHandle child : children) {
                assertTrue(ChildProcesses.awaitEnd(child, ORPHAN_BOUND_SECONDS), parent.describe("was killed, but its child "
                    + child.pid() + " still runs " + ORPHAN_BOUND_SECONDS + " s later; children " + pids(children)));
            }
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertTrue(tookMillis < ORPHAN_BOUND_SECONDS * 1000, "orphans took " + tookMillis + " ms to exit");
        }
    }

    /**
     * The child's work is gated on an event this test sets only once the parent JVM is in its
     * exit (its shutdown hook has printed): a parent that did not wait for the child would be gone
     * by then, and the child, orphaned, would exit without writing. The child also records that
     * its parent was still alive when it did the work.
     */
    @Test
    void shouldLetANonDaemonChildFinishItsWorkBeforeTheParentExits() throws InterruptedException {
        final Event go = mp.event("go");
        final SharedIntArray cells = mp.intArray("cells", 2);
        try (ChildJvm parent = ChildJvm.start(ProcessParentChild.class, "nondaemon", mp.directory().toString(),
            "go", "cells")) {
            final ProcessHandle child = grandchild(parent, "CHILD");
            parent.awaitLine("MAIN_RETURNING", PROMPT);
            parent.awaitLine("EXIT_STARTED", PROMPT);

            final ProcessHandle parentHandle = ChildProcesses.running(parent.pid());
            // A bounded look, not a synchronisation: the parent must still be there, waiting.
            assertThrows(TimeoutException.class, () -> parentHandle.onExit().get(500, TimeUnit.MILLISECONDS),
                parent.describe("exited while its non-daemon child was still running"));
            assertTrue(child.isAlive(), "the non-daemon child is still waiting for the event");
            assertArrayEquals(new int[] {0, 0}, cells.toArray(), "the child has not done its work yet");

            go.set();
            assertEquals(0, parent.waitFor(PROMPT), parent.describe("should exit normally once its child is done"));
            assertArrayEquals(new int[] {1, 1}, cells.toArray(),
                parent.describe("exited; its child should have done its work (cell 0) while the parent was alive (cell 1)"));
            assertTrue(ChildProcesses.awaitEnd(child, ORPHAN_BOUND_SECONDS), "the child ended");
        } catch (final AssertionError e) {
            go.set(); // let a waiting child finish rather than be killed
            throw e;
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Reads the next {@code word <pid>} line and remembers the process, which must be running. */
    private ProcessHandle grandchild(final ChildJvm parent, final String word) {
        final long pid = Long.parseLong(parent.awaitLine(word, STARTUP));
        final ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            grandchildren.add(handle);
        }
        assertTrue(handle != null && handle.isAlive(), parent.describe("reported " + word + " " + pid + ", which is not running"));
        assertFalse(handle.parent().map(ProcessHandle::pid).filter(p -> p != parent.pid()).isPresent(),
            word + " " + pid + " should be a child of " + parent.pid());
        return handle;
    }

    private static List<String> pids(final List<ProcessHandle> handles) {
        return handles.stream().map(h -> h.pid() + (h.isAlive() ? " (running)" : " (ended)")).toList();
    }
}
