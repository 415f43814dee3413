package dev.mproc.tests.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.core.SerializableCallable;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;
import dev.mproc.sync.Barrier;
import dev.mproc.sync.Event;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link ProcessParentExitTest}: a parent JVM that starts mproc children (the
 * test's grandchildren) and then ends in the way the test asks. It attaches to the test's
 * namespace rather than creating its own, so a parent killed by SIGKILL leaves nothing behind
 * that the test does not own.
 * <ul>
 *   <li>{@code ProcessParentChild daemon <namespaceDir>}: starts a daemon child that waits for an
 *   event nobody sets, prints {@code CHILD <pid>} once the child runs its target, waits for the
 *   command {@code EXIT} and returns from {@code main}.</li>
 *   <li>{@code ProcessParentChild orphans <namespaceDir>}: starts a daemon child and a non-daemon
 *   child, both waiting for an event nobody sets, and a pool of two workers, one of them running
 *   a task that waits for the same event; prints {@code CHILD <pid>} for each child and
 *   {@code WORKER <pid>} for each worker, then {@code STARTED}, and waits to be killed.</li>
 *   <li>{@code ProcessParentChild nondaemon <namespaceDir> <goEvent> <cellsArray>}: starts a
 *   non-daemon child that waits for the event {@code goEvent} (set by the test), then writes into
 *   the 2-int array {@code cellsArray}: cell 1 = 1 if this parent JVM was still alive at that
 *   moment, then cell 0 = 1. Prints {@code CHILD <pid>}, registers a shutdown hook that prints
 *   {@code EXIT_STARTED}, prints {@code MAIN_RETURNING} and returns from {@code main} while the
 *   child still waits.</li>
 * </ul>
 */
public final class ProcessParentChild {
    private static final long PROMPT_SECONDS = 20;

    private ProcessParentChild() {
    }

    /**
     * @param args role, namespace directory, then the role's arguments (see the class comment)
     * @throws Exception if a wait fails; the test then reads the stack trace from stderr
     */
    public static void main(final String[] args) throws Exception {
        ChildMain.start();
        final Mproc mp = Mproc.attach(Path.of(args[1]));
        switch (args[0]) {
            case "daemon" -> daemonThenExit(mp);
            case "orphans" -> childrenThenWaitToBeKilled(mp);
            case "nondaemon" -> nonDaemonThenReturn(mp, args[2], args[3]);
            default -> ChildMain.failAndExit("unknown role " + args[0]);
        }
    }

    private static void daemonThenExit(final Mproc mp) throws InterruptedException {
        final Event running = mp.event();
        final Event never = mp.event();
        final Process child = mp.process("daemon-child", () -> {
            running.set();
            Tasks.await(never);
        });
        child.setDaemon(true);
        child.start();
        awaitOrFail(running, "the daemon child to run its target");
        ChildMain.say("CHILD " + child.pid());
        ChildMain.expectCommand("EXIT");
        ChildMain.say("MAIN_RETURNING");
    }

    private static void childrenThenWaitToBeKilled(final Mproc mp) throws Exception {
        final Barrier running = mp.barrier(3);
        final Event never = mp.event();
        final Process daemon = mp.process("daemon-child", () -> {
            Tasks.meet(running, Tasks.PATIENCE.toSeconds());
            Tasks.await(never);
        });
        daemon.setDaemon(true);
        final Process nonDaemon = mp.process("non-daemon-child", () -> {
            Tasks.meet(running, Tasks.PATIENCE.toSeconds());
            Tasks.await(never);
        });
        daemon.start();
        nonDaemon.start();
        running.await(PROMPT_SECONDS, TimeUnit.SECONDS);
        ChildMain.say("CHILD " + daemon.pid());
        ChildMain.say("CHILD " + nonDaemon.pid());

        // One worker busy with a task, the other idle: both must go when this JVM is killed.
        final Pool pool = mp.pool(2);
        final Queue<Long> busyWorker = mp.queue();
        pool.submit((SerializableCallable<Integer>) () -> {
            Tasks.put(busyWorker, ProcessHandle.current().pid());
            Tasks.await(never);
            return 0;
        });
        final Long busyPid = busyWorker.poll(PROMPT_SECONDS, TimeUnit.SECONDS);
        if (busyPid == null) {
            ChildMain.failAndExit("no pool worker started the task within " + PROMPT_SECONDS + " s");
        }
        // The pool starts all its workers before it dispatches anything: both are children now.
        final List<Long> workers = Process.activeChildren().stream()
            .filter(child -> child.name().startsWith("PoolWorker-")).map(Process::pid).toList();
        if (workers.size() != 2 || !workers.contains(busyPid)) {
            ChildMain.failAndExit("expected 2 pool workers, one of them " + busyPid + ", among the children: "
                + Process.activeChildren());
        }
        for (final long pid : workers) {
            ChildMain.say("WORKER " + pid);
        }
        ChildMain.say("STARTED");
        ChildMain.expectCommand("NEVER SENT: the test kills this JVM");
    }

    private static void nonDaemonThenReturn(final Mproc mp, final String goName, final String cellsName)
        throws InterruptedException {
        final Event go = mp.event(goName);
        final SharedIntArray cells = mp.intArray(cellsName, 2);
        final long parentPid = ProcessHandle.current().pid();
        final Event running = mp.event();
        final Process child = mp.process("non-daemon-child", () -> {
            running.set();
            Tasks.await(go);
            final boolean parentAlive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
            cells.set(1, parentAlive ? 1 : 0);
            cells.set(0, 1);
        });
        child.start();
        awaitOrFail(running, "the non-daemon child to run its target");
        ChildMain.say("CHILD " + child.pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ChildMain.say("EXIT_STARTED")));
        ChildMain.say("MAIN_RETURNING");
    }

    private static void awaitOrFail(final Event event, final String what) throws InterruptedException {
        if (!event.await(PROMPT_SECONDS, TimeUnit.SECONDS)) {
            ChildMain.failAndExit("gave up waiting for " + what + " after " + PROMPT_SECONDS + " s");
        }
    }
}
