package dev.mproc.tests.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.process.Pool;
import dev.mproc.process.Process;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ends the JVMs a test started through mproc, whatever state the test left them in.
 * <p>
 * Why: a non-daemon child still running when the test JVM exits would be waited for at exit (as
 * Python does), holding the whole surefire fork; and a grandchild whose parent JVM a test killed
 * is nobody's child here, so only its pid can reach it.
 */
final class ChildProcesses {
    private static final long BOUND_SECONDS = 10;

    private ChildProcesses() {
    }

    /** How long pool workers get to act on terminate() after a test before they are killed. */
    private static final long CLEANUP_SECONDS = 5;

    /**
     * Ends the pools a test made, whatever state the test left them in: terminate, wait a bound,
     * SIGKILL the children if they have not gone (a failed test may leave JVMs still booting, slow
     * to act on SIGTERM), join, and check that no child of this JVM is left.
     *
     * @param pools the test's pools
     * @throws InterruptedException if interrupted while waiting
     */
    static void endPools(final Collection<Pool> pools) throws InterruptedException {
        pools.forEach(Pool::terminate);
        for (final Pool pool : pools) {
            if (!pool.awaitTermination(CLEANUP_SECONDS, TimeUnit.SECONDS)) {
                killAll();
                assertTrue(pool.awaitTermination(CLEANUP_SECONDS, TimeUnit.SECONDS),
                    pool + " did not terminate although its workers were killed");
            }
            pool.join();
        }
        final List<String> running = killAll();
        assertTrue(running.isEmpty(), "children still running after the pools' join: " + running);
    }

    /**
     * Kills (SIGKILL) every child this JVM started through mproc that still runs, pool workers
     * included, and waits for each to end.
     *
     * @return descriptions of the children that were still running
     */
    static List<String> killAll() {
        final List<String> killed = new ArrayList<>();
        for (final Process child : Process.activeChildren()) {
            killed.add(child.toString());
            child.kill();
            try {
                child.join(BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return killed;
            }
        }
        return killed;
    }

    /**
     * Kills (SIGKILL) every process in {@code handles} that still runs and waits for each to end.
     *
     * @param handles processes that are not this JVM's children (grandchildren)
     * @return the pids that were still running
     */
    static List<Long> killAll(final Collection<ProcessHandle> handles) {
        final List<Long> killed = new ArrayList<>();
        for (final ProcessHandle handle : handles) {
            if (handle.isAlive()) {
                killed.add(handle.pid());
                handle.destroyForcibly();
            }
        }
        for (final ProcessHandle handle : handles) {
            awaitEnd(handle, BOUND_SECONDS);
        }
        return killed;
    }

    /**
     * @param pid a process id that must belong to a running process
     * @return its handle, which keeps naming that process even if the pid is later reused
     */
    static ProcessHandle running(final long pid) {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            throw new AssertionError("process " + pid + " should be running but is not");
        }
        return handle.get();
    }

    /**
     * @param handle  a process
     * @param seconds how long to wait at most
     * @return true if it ended within that time
     */
    static boolean awaitEnd(final ProcessHandle handle, final long seconds) {
        try {
            handle.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (final TimeoutException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("waiting for " + handle.pid() + " failed", e);
        }
    }
}
