package dev.mproc.tests.process;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.core.SerializableRunnable;
import dev.mproc.ipc.SharedInt;
import dev.mproc.ipc.SharedLong;
import dev.mproc.process.Process;
import dev.mproc.process.RemoteException;
import dev.mproc.sync.Event;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Process} as Python's {@code multiprocessing.Process}, with this test JVM as the parent:
 * exit codes for every way a child ends, what {@code failure()} carries back, {@code join} with a
 * timeout, the accessors before, during and after the run, and the misuses that must be refused.
 * <p>
 * Every child is a real JVM. "Running" is never assumed from time passing: a child that must be
 * running sets an {@link Event} from its target, and the test waits for it. A child's standard
 * error goes to a file (a failing target prints its stack trace there, as Python prints the
 * traceback), so that the test output stays readable and the assertions can quote it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class ProcessLifecycleTest {
    /** A JVM start plus a little work, on a two-core machine shared with other builds. */
    private static final long PROMPT_SECONDS = 20;
    /** SIGTERM and SIGKILL as Python reports them: the negated signal number. */
    private static final int SIGTERM_EXIT_CODE = -15;
    private static final int SIGKILL_EXIT_CODE = -9;

    @TempDir
    Path temp;

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

    @Test
    void shouldExitWithZeroWhenTheTargetReturns() throws InterruptedException {
        final SharedInt ran = mp.intValue(0);
        final Process child = quiet(mp.process(() -> ran.set(1)), "returns");

        child.start();
        joinPromptly(child);

        assertEquals(0, child.exitCode(), describe(child, "returns"));
        assertNull(child.failure(), "a child that returned has no failure");
        assertEquals(1, ran.get(), "the target ran in the child");
        assertFalse(child.isAlive(), "isAlive after join");
    }

    /**
     * A prestarted spare is taken by the next start: the child's JVM began before start() was
     * called, and it runs its task as any child would.
     */
    @Test
    @Timeout(60)
    void shouldStartTheNextChildFromAPrestartedSpare() throws InterruptedException {
        // At least the one asked for: spares that earlier children's ends started count too.
        final int warm = Process.prestart(1, 30, TimeUnit.SECONDS);
        assertTrue(warm >= 1, "warm spares after prestart(1): " + warm);
        final java.time.Instant beforeStart = java.time.Instant.now();
        final SharedInt ran = mp.intValue(0);
        final Process child = mp.process(() -> ran.set(1));
        child.start();
        final java.time.Instant childBegan = ProcessHandle.of(child.pid()).orElseThrow().info().startInstant()
            .orElseThrow();
        assertTrue(childBegan.isBefore(beforeStart), "the child's JVM began at " + childBegan
            + ", not before start() at " + beforeStart + ": it was not the prestarted spare");
        assertTrue(child.join(PROMPT_SECONDS, TimeUnit.SECONDS), child + " did not end");
        assertEquals(0, child.exitCode());
        assertEquals(1, ran.get());
        assertThrows(IllegalArgumentException.class, () -> Process.prestart(-1, 1, TimeUnit.SECONDS));
    }

    @Test
    void shouldExitWithOneAndReportTheExceptionWhenTheTargetThrows() throws InterruptedException, IOException {
        final Process child = quiet(mp.process(() -> {
            throw new IllegalStateException("the child says no");
        }), "throws");

        child.start();
        joinPromptly(child);

        assertEquals(1, child.exitCode(), describe(child, "throws"));
        final Throwable failure = child.failure();
        assertInstanceOf(IllegalStateException.class, failure, "the child's own exception, rebuilt here");
        assertEquals("the child says no", failure.getMessage());
        assertTrue(hasFrameOfALambdaIn(failure, ProcessLifecycleTest.class),
            "the remote stack trace should show the target lambda: " + Arrays.toString(failure.getStackTrace()));
        assertTrue(Files.readString(stderrOf("throws")).contains("java.lang.IllegalStateException: the child says no"),
            "the child prints the traceback on its stderr, as Python does:\n" + Files.readString(stderrOf("throws")));
        assertEquals(failure, child.failure(), "failure() is stable once read");
    }

    /**
     * SIGTERM runs the child's shutdown hooks, as a real program's, which may take a moment (here
     * a hook that takes 300 ms, like one flushing a file). Meanwhile the child must still see its
     * parent alive: each must report -15, and none may take the signal for its parent's death.
     */
    @Test
    void shouldExitWithMinusFifteenAfterTerminate() throws InterruptedException, IOException {
        final int children = 3;
        final SharedInt running = mp.intValue(0);
        final Event allRunning = mp.event();
        final Event never = mp.event();
        final List<Process> terminated = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            terminated.add(quiet(mp.process(() -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Tasks.sleep(Duration.ofMillis(300))));
                if (running.incrementAndGet() == children) {
                    allRunning.set();
                }
                Tasks.await(never);
            }), "terminated-" + i));
        }
        terminated.forEach(Process::start);
        assertTrue(allRunning.await(PROMPT_SECONDS, TimeUnit.SECONDS), running.get() + " of " + children
            + " children ran their target");

        terminated.forEach(Process::terminate);

        for (int i = 0; i < children; i++) {
            final Process child = terminated.get(i);
            joinPromptly(child);
            assertEquals(SIGTERM_EXIT_CODE, child.exitCode(), describe(child, "terminated-" + i));
            assertNull(child.failure(), "a terminated child has no failure");
            assertFalse(Files.readString(stderrOf("terminated-" + i)).contains("parent process has gone"),
                "terminate() is not the parent's death: " + describe(child, "terminated-" + i));
            child.terminate(); // no effect once ended
            assertEquals(SIGTERM_EXIT_CODE, child.exitCode(), "terminate() after the end changes nothing");
        }
    }

    @Test
    void shouldExitWithMinusNineAfterKill() throws InterruptedException {
        final Event running = mp.event();
        final Event never = mp.event();
        final Process child = quiet(mp.process(() -> {
            running.set();
            Tasks.await(never);
        }), "killed");
        child.start();
        assertTrue(running.await(PROMPT_SECONDS, TimeUnit.SECONDS), describe(child, "killed") + " never ran its target");

        child.kill();
        joinPromptly(child);

        assertEquals(SIGKILL_EXIT_CODE, child.exitCode(), describe(child, "killed"));
        assertNull(child.failure(), "a killed child has no failure");
    }

    @Test
    void shouldReportTheStatusTheTargetPassesToSystemExit() throws InterruptedException {
        final Process child = quiet(mp.process(() -> System.exit(3)), "exits");

        child.start();
        joinPromptly(child);

        assertEquals(3, child.exitCode(), describe(child, "exits"));
        assertNull(child.failure(), "System.exit is not a failure");
    }

    @Test
    void shouldReturnFalseFromATimedJoinWhileTheChildSleeps() throws InterruptedException {
        final Event sleeping = mp.event();
        final Process child = quiet(mp.process(() -> {
            sleeping.set();
            Tasks.sleep(Duration.ofSeconds(60));
        }), "sleeps");
        child.start();
        assertTrue(sleeping.await(PROMPT_SECONDS, TimeUnit.SECONDS), describe(child, "sleeps") + " never ran its target");

        final long start = System.nanoTime();
        final boolean ended = child.join(300, TimeUnit.MILLISECONDS);
        final long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertFalse(ended, "join(300 ms) on a child sleeping 60 s should time out");
        assertTrue(waitedMillis >= 290, "join(300 ms) returned after only " + waitedMillis + " ms");
        assertTrue(child.isAlive(), "the child is still sleeping");
        assertNull(child.exitCode(), "no exit code while running");

        child.kill();
        assertTrue(child.join(PROMPT_SECONDS, TimeUnit.SECONDS), "join after kill");
        assertEquals(SIGKILL_EXIT_CODE, child.exitCode());
    }

    @Test
    void shouldExposeNamePidAndLivenessBeforeDuringAndAfterTheRun() throws InterruptedException {
        final SharedLong pidSeenByChild = mp.longValue(0);
        final Event running = mp.event();
        final Event release = mp.event();
        final Process child = quiet(mp.process("worker-a", () -> {
            pidSeenByChild.set(ProcessHandle.current().pid());
            running.set();
            Tasks.await(release);
        }), "named");

        assertEquals("worker-a", child.name());
        assertFalse(child.isAlive(), "not alive before start");
        assertNull(child.exitCode(), "no exit code before start");
        assertNull(child.failure(), "no failure before start");
        assertFalse(child.isDaemon(), "a main process's children are not daemons by default");
        assertThrows(IllegalStateException.class, child::pid, "no pid before start");
        assertThrows(IllegalStateException.class, child::join, "join before start");
        assertTrue(mp.process(() -> { }).name().matches("Process-\\d+"), "Python's default name Process-N");

        child.start();
        assertTrue(running.await(PROMPT_SECONDS, TimeUnit.SECONDS), describe(child, "named") + " never ran its target");
        assertTrue(child.isAlive(), "alive while the target runs");
        assertNull(child.exitCode(), "exitCode() is null while running");
        assertNull(child.failure(), "no failure while running");
        assertEquals(pidSeenByChild.get(), child.pid(), "pid() is the child JVM's own pid");
        assertNotEquals(ProcessHandle.current().pid(), child.pid());
        assertTrue(ChildProcesses.running(child.pid()).parent().map(ProcessHandle::pid)
                .filter(parent -> parent == ProcessHandle.current().pid()).isPresent(),
            "the child JVM's parent is this JVM");
        assertThrows(IllegalStateException.class, () -> child.setDaemon(true), "setDaemon after start");

        release.set();
        joinPromptly(child);
        assertFalse(child.isAlive(), "not alive after the end");
        assertEquals(0, child.exitCode(), describe(child, "named"));
        assertEquals(pidSeenByChild.get(), child.pid(), "the pid stays readable after the end");
        assertEquals("worker-a", child.name());
    }

    @Test
    void shouldListRunningChildrenInActiveChildrenAndDropThemOnceEnded() throws InterruptedException {
        final Event bothRunning = mp.event();
        final SharedInt started = mp.intValue(0);
        final Event release = mp.event();
        final SerializableRunnable target = () -> {
            if (started.incrementAndGet() == 2) {
                bothRunning.set();
            }
            Tasks.await(release);
        };
        final Process first = quiet(mp.process("first", target), "first");
        final Process second = quiet(mp.process("second", target), "second");
        assertFalse(Process.activeChildren().contains(first), "a child not started is not active");

        first.start();
        second.start();
        assertTrue(bothRunning.await(PROMPT_SECONDS, TimeUnit.SECONDS), "both children should run their target; "
            + describe(first, "first") + "; " + describe(second, "second"));
        final List<Process> active = Process.activeChildren();
        assertTrue(active.contains(first) && active.contains(second), "both are active: " + active);

        release.set();
        joinPromptly(first);
        joinPromptly(second);
        final List<Process> after = Process.activeChildren();
        assertFalse(after.contains(first) || after.contains(second), "ended children are not active: " + after);
    }

    @Test
    void shouldNameTheCurrentProcessMainProcessHereAndTheChildsOwnNameInTheChild() throws InterruptedException {
        assertEquals("MainProcess", Process.current().name(), "Python's name for the process a user started");
        assertEquals(Process.MAIN_PROCESS_NAME, Process.current().name());
        assertEquals(ProcessHandle.current().pid(), Process.current().pid());
        assertTrue(Process.current().isAlive());

        final dev.mproc.ipc.Queue<String> names = mp.queue();
        final Process named = quiet(mp.process("reporter", () -> Tasks.put(names, Process.current().name())), "reporter");
        final Process unnamed = quiet(mp.process(() -> Tasks.put(names, Process.current().name())), "unnamed");

        named.start();
        assertEquals("reporter", names.poll(PROMPT_SECONDS, TimeUnit.SECONDS), describe(named, "reporter"));
        joinPromptly(named);
        unnamed.start();
        assertEquals(unnamed.name(), names.poll(PROMPT_SECONDS, TimeUnit.SECONDS), describe(unnamed, "unnamed"));
        joinPromptly(unnamed);
        assertEquals(0, named.exitCode());
        assertEquals(0, unnamed.exitCode());
    }

    @Test
    void shouldRefuseToStartAProcessTwice() throws InterruptedException {
        final Process child = quiet(mp.process(() -> { }), "twice");
        child.start();

        final IllegalStateException whileRunning = assertThrows(IllegalStateException.class, child::start);
        assertTrue(whileRunning.getMessage().contains("already started"), whileRunning.getMessage());
        joinPromptly(child);
        assertThrows(IllegalStateException.class, child::start, "nor once it has ended");
        assertEquals(0, child.exitCode(), describe(child, "twice"));
        assertThrows(IllegalStateException.class, () -> Process.current().start(), "the current process cannot be started");
    }

    @Test
    void shouldRefuseToCloseARunningProcess() throws InterruptedException {
        final Event running = mp.event();
        final Event never = mp.event();
        final Process child = quiet(mp.process(() -> {
            running.set();
            Tasks.await(never);
        }), "close");
        child.start();
        assertTrue(running.await(PROMPT_SECONDS, TimeUnit.SECONDS), describe(child, "close") + " never ran its target");

        final IllegalStateException refused = assertThrows(IllegalStateException.class, child::close);
        assertTrue(refused.getMessage().contains(Long.toString(child.pid())), "the message names the pid: " + refused.getMessage());
        assertTrue(child.isAlive(), "a refused close leaves the child running");

        child.kill();
        joinPromptly(child);
        child.close();
        assertEquals(SIGKILL_EXIT_CODE, child.exitCode(), "the exit code stays readable after close");
        assertThrows(IllegalStateException.class, child::start, "a closed process cannot be started");
    }

    @Test
    void shouldCarryAnExceptionThatCannotBeSerialisedAsRemoteException() throws InterruptedException {
        final Process child = quiet(mp.process(() -> {
            throw new ExceptionWithUnserialisableField("holding a plain Object");
        }), "remote");

        child.start();
        joinPromptly(child);

        assertEquals(1, child.exitCode(), describe(child, "remote"));
        final RemoteException failure = assertInstanceOf(RemoteException.class, child.failure(),
            "an exception that cannot travel arrives as its stand-in");
        assertEquals(ExceptionWithUnserialisableField.class.getName(), failure.originalClassName());
        assertEquals("holding a plain Object", failure.getMessage());
        assertEquals(ExceptionWithUnserialisableField.class.getName() + ": holding a plain Object", failure.toString(),
            "toString reads like the original's");
        assertTrue(hasFrameOfALambdaIn(failure, ProcessLifecycleTest.class),
            "the original stack trace should be kept: " + Arrays.toString(failure.getStackTrace()));
    }

    @Test
    void shouldCaptureTheChildsStdoutWithRedirectOutput() throws InterruptedException, IOException {
        final Path out = temp.resolve("child.out");
        final Process child = quiet(mp.process(() -> {
            System.out.println("first line from the child");
            System.out.println("pid " + ProcessHandle.current().pid());
        }), "redirected");
        child.redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));

        child.start();
        joinPromptly(child);

        assertEquals(0, child.exitCode(), describe(child, "redirected"));
        assertEquals(List.of("first line from the child", "pid " + child.pid()), Files.readAllLines(out));
        assertThrows(IllegalStateException.class, () -> child.redirectOutput(ProcessBuilder.Redirect.DISCARD),
            "redirect after start");
    }

    @Test
    void shouldRefuseATargetThatCannotBeSerialisedAtStart() {
        final Object notSerialisable = new Object();
        final Process child = mp.process(() -> System.out.println(notSerialisable));

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, child::start);

        assertTrue(refused.getMessage().contains("java.lang.Object"), "the message names the culprit: " + refused.getMessage());
        assertTrue(refused.getMessage().contains("SerializableRunnable"), "and says what to do: " + refused.getMessage());
        assertFalse(child.isAlive(), "no JVM was started");
        assertThrows(IllegalStateException.class, child::pid, "no JVM was started");
    }

    // ------------------------------------------------------------------ helpers

    /** Sends the child's stderr to a file named after it, for the assertions to quote. */
    private Process quiet(final Process process, final String label) {
        return process.redirectError(ProcessBuilder.Redirect.to(stderrOf(label).toFile()));
    }

    private Path stderrOf(final String label) {
        return temp.resolve(label + ".err");
    }

    private String describe(final Process process, final String label) {
        String stderr;
        try {
            stderr = Files.exists(stderrOf(label)) ? Files.readString(stderrOf(label)) : "<none>";
        } catch (final IOException e) {
            stderr = "<unreadable: " + e + ">";
        }
        return process + ", failure " + process.failure() + ", stderr:\n" + stderr;
    }

    private static void joinPromptly(final Process process) throws InterruptedException {
        assertTrue(process.join(PROMPT_SECONDS, TimeUnit.SECONDS), process + " did not end within " + PROMPT_SECONDS + " s");
    }

    static boolean hasFrameOfALambdaIn(final Throwable failure, final Class<?> owner) {
        for (final StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().equals(owner.getName()) && frame.getMethodName().startsWith("lambda$")) {
                return true;
            }
        }
        return false;
    }

    /** An exception whose field cannot be serialised, so it cannot travel as itself. */
    static final class ExceptionWithUnserialisableField extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        @SuppressWarnings({"unused", "serial"})
        private final Object payload = new Object();

        ExceptionWithUnserialisableField(final String message) {
            super(message);
        }
    }
}
