package dev.mproc.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running one {@code main} class of the test sources, driven line by line: the test
 * reads the child's protocol lines ({@code READY ...}, {@code RESULT ...}) from its stdout and may
 * send it commands on its stdin.
 * <p>
 * Why a dedicated launcher rather than {@code ProcessBuilder} in each test: every wait on a child
 * must be bounded and, when it fails, say what the child printed, or a hang in another process
 * turns into a silent 60-second timeout. The child runs with the same {@code java} binary and class
 * path as the test JVM, so it sees exactly the classes under test.
 * <p>
 * Children are tied to this JVM's life: their stdin is a pipe from here, and {@link ChildMain}
 * exits the child when it reads end-of-file, which also happens when this JVM dies. {@link #close()}
 * uses that to end a child gracefully (its shutdown hooks run and delete its private namespaces)
 * before resorting to SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {
    /** Every pid this JVM launched, so the leftover check can attribute their namespaces to us. */
    private static final Set<Long> LAUNCHED = ConcurrentHashMap.newKeySet();
    /** Children not yet closed, so that a test which forgot one cannot leave it running. */
    private static final Set<ChildJvm> OPEN = ConcurrentHashMap.newKeySet();

    /** Marks the end of the child's stdout in the line queue; a new String, compared by identity. */
    private static final String END_OF_OUTPUT = new String("<end of output>");

    private static final Duration GRACEFUL_EXIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final OutputStream stdin;

    private ChildJvm(final String name, final Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = Thread.ofPlatform().daemon().name(name + "-stdout")
            .start(() -> pump(process.getInputStream(), "", true));
        this.stderrReader = Thread.ofPlatform().daemon().name(name + "-stderr")
            .start(() -> pump(process.getErrorStream(), "[stderr] ", false));
    }

    /**
     * Starts {@code mainClass} in a new JVM.
     *
     * @param mainClass        a class of the test sources with a {@code main} method
     * @param systemProperties extra {@code -D} options, e.g. {@code mproc.attachTimeoutMillis=500}
     * @param args             the program arguments
     * @return the running child
     */
    public static ChildJvm start(final Class<?> mainClass, final Map<String, String> systemProperties, final String... args) {
        return start(mainClass, List.of(), systemProperties, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM with extra JVM options, which come after the defaults
     * and so override them (e.g. {@code -Xmx320m} for a child that must hold large values).
     *
     * @param mainClass        a class of the test sources with a {@code main} method
     * @param jvmOptions       extra JVM options
     * @param systemProperties extra {@code -D} options
     * @param args             the program arguments
     * @return the running child
     */
    public static ChildJvm start(final Class<?> mainClass, final List<String> jvmOptions,
                                 final Map<String, String> systemProperties, final String... args) {
        return startOn(System.getProperty("java.class.path"), mainClass, jvmOptions, systemProperties, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM on the given class path instead of this JVM's.
     *
     * @param classPath        the child's class path
     * @param mainClass        a class on that path with a {@code main} method
     * @param jvmOptions       extra JVM options
     * @param systemProperties extra {@code -D} options
     * @param args             the program arguments
     * @return the running child
     */
    public static ChildJvm startOn(final String classPath, final Class<?> mainClass, final List<String> jvmOptions,
                                   final Map<String, String> systemProperties, final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this JVM")));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-Xmx64m");
        // Small, quick-starting children: this machine has two cores shared with other builds, and
        // the tests check correctness, not peak speed.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        command.addAll(jvmOptions);
        final Map<String, String> properties = new LinkedHashMap<>();
        // A child uses the same mproc root as its parent unless told otherwise.
        final String root = System.getProperty("mproc.dir");
        if (root != null) {
            properties.put("mproc.dir", root);
        }
        properties.putAll(systemProperties);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        final Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        LAUNCHED.add(process.pid());
        final ChildJvm child = new ChildJvm(mainClass.getSimpleName(), process);
        OPEN.add(child);
        return child;
    }

    /**
     * @param mainClass a class of the test sources with a {@code main} method
     * @param args      the program arguments
     * @return the running child
     */
    public static ChildJvm start(final Class<?> mainClass, final String... args) {
        return start(mainClass, Map.of(), args);
    }

    /**
     * @return the pids of every child this JVM started, alive or not
     */
    public static Set<Long> launchedPids() {
        return Set.copyOf(LAUNCHED);
    }

    /**
     * Closes every child that a test started and did not close.
     *
     * @return descriptions of the children that were still open
     */
    public static List<String> closeAllOpen() {
        final List<String> closed = new ArrayList<>();
        for (final ChildJvm child : List.copyOf(OPEN)) {
            closed.add(child.describe("was never closed by its test"));
            child.close();
        }
        return closed;
    }

    private void pump(final InputStream stream, final String tag, final boolean protocol) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                transcript.add(tag + line);
                if (protocol) {
                    lines.add(line);
                }
            }
        } catch (final IOException e) {
            transcript.add(tag + "<read failed: " + e + ">");
        } finally {
            if (protocol) {
                lines.add(END_OF_OUTPUT);
            }
        }
    }

    /**
     * Waits for the next stdout line starting with {@code prefix}, skipping other lines (they stay
     * in the transcript). Fails fast, with everything the child printed, if the child's output ends
     * first or the timeout passes.
     *
     * @param prefix  the protocol word, e.g. {@code "READY"}
     * @param timeout how long to wait at most
     * @return the rest of the line after the prefix, stripped
     */
    public String awaitLine(final String prefix, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long remaining = deadline - System.nanoTime();
            final String line;
            try {
                line = remaining > 0 ? lines.poll(remaining, TimeUnit.NANOSECONDS) : lines.poll();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(describe("was interrupted waiting for a line starting with \"" + prefix + "\""), e);
            }
            if (line == null) {
                return fail(describe("printed no line starting with \"" + prefix + "\" within " + timeout.toMillis() + " ms"));
            }
            if (line == END_OF_OUTPUT) {
                // Leave the marker for any later call, which must fail fast too.
                lines.add(END_OF_OUTPUT);
                awaitExitQuietly();
                return fail(describe("ended its output before printing a line starting with \"" + prefix + "\""));
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
    }

    /**
     * Sends one command line to the child's stdin (read by {@link ChildMain#nextCommand}).
     *
     * @param command the line, without a line terminator
     */
    public void send(final String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (final IOException e) {
            fail(describe("could not be sent \"" + command + "\": " + e), e);
        }
    }

    /**
     * @return the child's process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * @return true while the child runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the child with SIGKILL: no shutdown hook runs, as when a process crashes.
     */
    public void kill() {
        // Through the handle: Process.destroyForcibly() would also close our ends of the pipes,
        // losing whatever the child printed last.
        process.toHandle().destroyForcibly();
    }

    /**
     * Asks the child to terminate with SIGTERM: its shutdown hooks run, as when a user stops it.
     */
    public void terminate() {
        // Through the handle: Process.destroy() would also close the child's stdin, and the child
        // would exit on that end-of-file (ChildMain) in a race with the signal.
        process.toHandle().destroy();
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait at most; failing with the child's output if it is still running
     * @return its exit code (128 + signal number when a signal ended it)
     */
    public int waitFor(final Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return fail(describe("did not exit within " + timeout.toMillis() + " ms"));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(describe("was interrupted waiting for the child to exit"), e);
        }
        joinReaders();
        return process.exitValue();
    }

    /**
     * @return what the child printed so far, stderr lines tagged
     */
    public String output() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    /**
     * @param what what went wrong
     * @return a failure message naming the child and quoting its output
     */
    public String describe(final String what) {
        final String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "child " + name + " (pid " + process.pid() + ", " + state + ") " + what
            + "\n----- child output -----\n" + output() + "\n------------------------";
    }

    /**
     * Ends the child if it still runs: first by closing its stdin, which makes it exit normally
     * (shutdown hooks run), then by SIGKILL; waits for it and for its output to drain.
     */
    @Override
    public void close() {
        OPEN.remove(this);
        try {
            stdin.close();
        } catch (final IOException e) {
            // The child is gone already: nothing to tell it.
        }
        try {
            if (!process.waitFor(GRACEFUL_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACEFUL_EXIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        joinReaders();
    }

    private void awaitExitQuietly() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        joinReaders();
    }

    private void joinReaders() {
        try {
            // The pipes close when the child exits; the readers then finish at once.
            stdoutReader.join(Duration.ofSeconds(2));
            stderrReader.join(Duration.ofSeconds(2));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + process.pid() + "]";
    }
}
