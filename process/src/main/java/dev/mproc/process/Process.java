package dev.mproc.process;

import dev.mproc.core.CodecException;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Namespace;
import dev.mproc.core.SerializableRunnable;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task running in its own JVM: Python's {@code multiprocessing.Process} with the spawn start
 * method. The target is a {@link SerializableRunnable}; its arguments are whatever the lambda
 * captures, which travel by serialisation, and mproc handles (queues, locks, shared arrays)
 * among them attach to the same shared objects in the child.
 *
 * <pre>{@code
 * Process p = mp.process(() -> System.out.println("hello from " + Process.current().name()));
 * p.start();
 * p.join();
 * p.exitCode();   // 0
 * }</pre>
 *
 * <p>The child is a fresh JVM: the same {@code java} binary, class path and module path, and the
 * options of this JVM that describe the program ({@code -Xmx}, {@code -D...}, {@code --add-opens},
 * ...; never a debugger agent). Its standard output and error go to this JVM's unless redirected.
 * Exit codes are Python's: 0 when the target returns, 1 when it throws (then {@link #failure()}
 * holds the exception), {@code -N} when signal N ended it.
 *
 * <p>At exit, a JVM terminates its daemon children and waits for the others, as Python does.
 * A child whose parent dies, even by SIGKILL, notices at once and exits (Python leaves orphans
 * running).
 *
 * <p>Memory consistency effects: the child sees the values its target captured as they were at
 * {@link #start()}, when they are serialised. Writes the child makes to shared mproc objects
 * before it ends happen-before the return of a {@link #join()} that sees it ended (the child's
 * stores reach the shared pages before its exit, and the exit is observed through the kernel).
 *
 * <p>Thread safety: the methods may be called from any thread.
 */
public final class Process {

    /** Python's name for the process a program starts in. */
    public static final String MAIN_PROCESS_NAME = "MainProcess";

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger CHILD_COUNTER = new AtomicInteger();
    private static final AtomicBoolean EXIT_ACTION_REGISTERED = new AtomicBoolean();
    private static final long DAEMON_TERMINATE_GRACE_MILLIS = 1_000;
    /** Exit statuses above this are 128 + the number of the signal that ended the process. */
    private static final int SIGNAL_STATUS_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private static volatile Process current;
    private static volatile boolean orphaned;
    private static volatile boolean exiting;

    private final String name;
    private final String identity;
    private final SerializableRunnable target;
    private final Path namespaceDirectory;
    private final boolean self;
    private final Object lock = new Object();
    private final List<String> jvmOptions = new ArrayList<>();

    private volatile boolean daemon;
    private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;
    private ProcessBuilder.Redirect error = ProcessBuilder.Redirect.INHERIT;
    private boolean lean = true;
    private volatile java.lang.Process handle;
    private OutputStream lifeline;
    private Path failureFile;
    private List<String> spareCommand;
    private boolean failureRead;
    private Throwable failure;
    private volatile boolean closed;

    private Process(final String name, final String identity, final SerializableRunnable target,
                    final Path namespaceDirectory, final boolean self, final boolean daemon) {
        this.name = name;
        this.identity = identity;
        this.target = target;
        this.namespaceDirectory = namespaceDirectory;
        this.self = self;
        this.daemon = daemon;
    }

    /**
     * A process not yet started. Normally obtained through {@code Mproc.process(...)}.
     *
     * @param name               its name, or {@code null} for Python's default ({@code Process-N})
     * @param target             what it runs
     * @param namespaceDirectory the namespace {@code Mproc.current()} returns in the child; the
     *                           child's failure report is written there too
     * @return the process
     */
    public static Process create(final String name, final SerializableRunnable target, final Path namespaceDirectory) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namespaceDirectory, "namespaceDirectory");
        final int number = CHILD_COUNTER.incrementAndGet();
        final Process parent = current();
        final String childIdentity = parent.self && parent.identity.isEmpty()
            ? Integer.toString(number) : parent.identity + ":" + number;
        return new Process(name == null ? "Process-" + childIdentity : name, childIdentity, target,
            namespaceDirectory, false, parent.daemon);
    }

    /**
     * @return this process: {@code "MainProcess"} in a JVM started by a user, the child's own
     * process in a JVM started by {@link #start()}
     */
    public static Process current() {
        Process process = current;
        if (process == null) {
            synchronized (STARTED) {
                process = current;
                if (process == null) {
                    process = new Process(MAIN_PROCESS_NAME, "", null, null, true, false);
                    current = process;
                }
            }
        }
        return process;
    }

    /**
     * Children started by this JVM that are still running; finished ones are reaped on the way,
     * as Python's {@code active_children()} does.
     *
     * @return the live children, in no particular order
     */
    public static List<Process> activeChildren() {
        final List<Process> alive = new ArrayList<>();
        for (final Process child : STARTED) {
            if (child.handle.isAlive()) {
                alive.add(child);
            } else {
                child.reap();
            }
        }
        return alive;
    }

    /**
     * Starts spare JVMs ahead of need and waits until they are warm: the next {@code count}
     * children that use the default options and output ({@link #jvmOptions} and the redirects
     * untouched) start from them in a few milliseconds instead of a cold JVM start-up. Spares
     * end with this JVM. Works whether or not automatic spares are on.
     *
     * @param count   how many spares to have ready
     * @param timeout how long to wait for them to warm up
     * @param unit    its unit
     * @return how many are warm (fewer than {@code count} if the timeout passed first)
     * @throws InterruptedException if interrupted while waiting
     */
    public static int prestart(final int count, final long timeout, final TimeUnit unit) throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        return SpareJvms.prestart(JvmCommand.forChild(List.of(), true), count, unit.toNanos(timeout));
    }

    /**
     * Builds the start-up cache of children started with the default options, if it is not built
     * yet, and waits for it. Children start with such a cache on their own once it exists (it is
     * built in the background the first time a child starts on a machine, see below); this method
     * is for a program that wants its very first children fast, or a deployment step.
     *
     * <p>The cache is JDK 25's AOT cache ({@code -XX:AOTCache}): the classes a child loads,
     * parsed and linked ahead of time, and method profiles from a training run. It needs a class
     * path and module path of jar files only (a packaged application, not a build tool's
     * {@code target/classes}), lives in {@code ~/.cache/mproc/aot} (system property
     * {@code mproc.process.aotCacheDir}), and is rebuilt when the JDK, the options or a jar
     * change. {@code -Dmproc.process.aotCache=false} turns it off.
     *
     * @param timeout how long to wait for the build (a few seconds of one CPU)
     * @param unit    its unit
     * @return the cache file, or empty if children of this JVM cannot have one (the reason is in
     *         {@link #startupCacheUnavailableReason()}), the build failed, or it did not finish in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static java.util.Optional<Path> awaitStartupCache(final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return java.util.Optional.ofNullable(AotCache.await(JvmCommand.withoutCache(List.of(), true),
            unit.toNanos(timeout)));
    }

    /**
     * @return why children started with the default options cannot have a start-up cache (see
     *         {@link #awaitStartupCache}), or empty if they can
     */
    public static java.util.Optional<String> startupCacheUnavailableReason() {
        return java.util.Optional.ofNullable(AotCache.unavailableReason(JvmCommand.withoutCache(List.of(), true)));
    }

    /** Called once, first thing, in a child JVM. */
    static void becomeChild(final String name, final String identity, final boolean daemon) {
        synchronized (STARTED) {
            current = new Process(name, identity, null, null, true, daemon);
        }
    }

    /** The parent is gone: at exit, terminate every child rather than wait for any. */
    static void markOrphaned() {
        orphaned = true;
    }

    /**
     * Starts the child JVM and sends it the target. Returns once the JVM is launched, not once
     * the target runs.
     *
     * @throws IllegalArgumentException if the target (or something it captured) is not
     *                                  serialisable; the message names the class
     * @throws IllegalStateException    if already started or closed, or this is the current process
     * @throws UncheckedIOException     if the JVM cannot be launched
     */
    public void start() {
        synchronized (lock) {
            if (self) {
                throw new IllegalStateException("cannot start the current process (" + name + ")");
            }
            checkNotClosed();
            if (handle != null) {
                throw new IllegalStateException("process " + name + " already started: a process can be started once");
            }
            final byte[] task = encodeTarget(target);
            failureFile = namespaceDirectory.resolve(".failure-" + ProcessHandle.current().pid() + "-"
                + identity.replace(':', '.') + "-" + System.nanoTime());
            final List<String> command = JvmCommand.forChild(jvmOptions, lean);
            // A spare's output was fixed when it started: only a child writing where this JVM
            // writes can be one.
            final boolean spareable = output == ProcessBuilder.Redirect.INHERIT && error == ProcessBuilder.Redirect.INHERIT;
            java.lang.Process started = spareable ? SpareJvms.take(command) : null;
            if (started == null) {
                try {
                    started = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(output)
                        .redirectError(error)
                        .start();
                } catch (final IOException e) {
                    throw new UncheckedIOException("cannot start process " + name + ": " + e.getMessage(), e);
                }
            }
            if (spareable) {
                // Replenished when this child ends, not now: a program starting several children
                // at once should not have a spare booting beside them on the same CPUs.
                spareCommand = command;
            }
            registerExitAction();
            lifeline = started.getOutputStream();
            handle = started;
            STARTED.add(this);
            try {
                new ChildSpec(name, identity, namespaceDirectory.toString(), failureFile.toString(), daemon, task)
                    .writeTo(new DataOutputStream(lifeline));
            } catch (final IOException e) {
                // The child died at once (bad JVM option?): its exit code and stderr say why.
            }
        }
    }

    static byte[] encodeTarget(final Object task) {
        final EncodingBuffer buffer = new EncodingBuffer();
        try {
            DefaultCodec.instance().encode(task, buffer);
        } catch (final CodecException e) {
            throw new IllegalArgumentException(notSerialisableMessage(task, e), e);
        }
        return buffer.toByteArray();
    }

    static String notSerialisableMessage(final Object task, final CodecException cause) {
        return "the task (" + task.getClass().getName() + ") cannot be sent to another JVM: " + cause.getMessage()
            + ". Write it as a lambda typed as one of dev.mproc.core.SerializableRunnable, SerializableCallable or"
            + " SerializableFunction (a cast such as (SerializableCallable<Integer>) () -> 42 does it),"
            + " and let it capture only Serializable values and mproc handles.";
    }

    /**
     * Waits for the process to end.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if not started, or this is the current process
     */
    public void join() throws InterruptedException {
        checkJoinable().waitFor();
        reap();
    }

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @param timeout how long to wait
     * @param unit    its unit
     * @return true if the process has ended
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if not started, or this is the current process
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException {
        if (checkJoinable().waitFor(timeout, unit)) {
            reap();
            return true;
        }
        return false;
    }

    private java.lang.Process checkJoinable() {
        if (self) {
            throw new IllegalStateException("a process cannot join itself (" + name + ")");
        }
        final java.lang.Process started = handle;
        if (started == null) {
            throw new IllegalStateException("process " + name + " was not started: can only join a started process");
        }
        return started;
    }

    /**
     * @return true from {@link #start()} until the process ends; always true for {@link #current()}
     */
    public boolean isAlive() {
        if (self) {
            return true;
        }
        final java.lang.Process started = handle;
        return started != null && started.isAlive();
    }

    /**
     * @return the operating system's process id
     * @throws IllegalStateException before {@link #start()}
     */
    public long pid() {
        if (self) {
            return ProcessHandle.current().pid();
        }
        final java.lang.Process started = handle;
        if (started == null) {
            throw new IllegalStateException("process " + name + " has no pid: it was not started");
        }
        return started.pid();
    }

    /**
     * @return the name: given at creation, else {@code Process-N} ({@code Process-N:M} for the
     * children of a child), {@code MainProcess} for the JVM a user started
     */
    public String name() {
        return name;
    }

    /**
     * @return {@code null} before start and while running; then 0 if the target returned, 1 if it
     * threw, {@code -N} if signal N ended the process (-15 after {@link #terminate()}, -9 after
     * {@link #kill()}), or the status the target passed to {@code System.exit}. A target that
     * calls {@code System.exit(128 + N)} for N up to 64 reads as signal N, as the JVM reports
     * both alike.
     */
    public Integer exitCode() {
        final java.lang.Process started = handle;
        if (self || started == null || started.isAlive()) {
            return null;
        }
        return pythonExitCode(started.exitValue());
    }

    static int pythonExitCode(final int status) {
        if (status > SIGNAL_STATUS_BASE && status <= SIGNAL_STATUS_BASE + MAX_SIGNAL) {
            return -(status - SIGNAL_STATUS_BASE);
        }
        return status;
    }

    /**
     * Asks the process to stop (SIGTERM): its shutdown hooks run, its daemon children are
     * terminated. No effect once it has ended.
     */
    public void terminate() {
        final java.lang.Process started = handle;
        if (started != null && !self) {
            // Through the ProcessHandle: java.lang.Process.destroy() also closes the child's
            // standard input, its lifeline, and a child that saw the end of file before the
            // signal would exit as an orphan (status 1) instead of by SIGTERM (-15).
            started.toHandle().destroy();
        }
    }

    /** Stops the process at once (SIGKILL). No effect once it has ended. */
    public void kill() {
        final java.lang.Process started = handle;
        if (started != null && !self) {
            started.toHandle().destroyForcibly();
        }
    }

    /**
     * @param daemon true if this process should be terminated when its parent exits, rather than
     *               waited for
     * @throws IllegalStateException once started
     */
    public void setDaemon(final boolean daemon) {
        synchronized (lock) {
            checkNotStarted("set daemon");
            this.daemon = daemon;
        }
    }

    /**
     * @return whether this process is a daemon (by default, as its parent is)
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Where the child's standard output goes; by default this JVM's.
     *
     * @param destination e.g. {@code Redirect.to(file)}, {@code Redirect.DISCARD}
     * @return this process
     * @throws IllegalStateException once started
     */
    public Process redirectOutput(final ProcessBuilder.Redirect destination) {
        synchronized (lock) {
            checkNotStarted("redirect output");
            output = checkRedirect(destination);
            return this;
        }
    }

    /**
     * Where the child's standard error goes; by default this JVM's.
     *
     * @param destination e.g. {@code Redirect.to(file)}, {@code Redirect.DISCARD}
     * @return this process
     * @throws IllegalStateException once started
     */
    public Process redirectError(final ProcessBuilder.Redirect destination) {
        synchronized (lock) {
            checkNotStarted("redirect error");
            error = checkRedirect(destination);
            return this;
        }
    }

    private static ProcessBuilder.Redirect checkRedirect(final ProcessBuilder.Redirect destination) {
        Objects.requireNonNull(destination, "destination");
        if (destination.type() == ProcessBuilder.Redirect.Type.READ) {
            throw new IllegalArgumentException("a child's output cannot be redirected from a file: " + destination);
        }
        return destination;
    }

    /**
     * Adds JVM options for the child, after the inherited ones (so they override them), e.g.
     * {@code "-Xmx256m"}.
     *
     * @param options the options
     * @return this process
     * @throws IllegalStateException once started
     */
    public Process jvmOptions(final String... options) {
        synchronized (lock) {
            checkNotStarted("add JVM options");
            for (final String option : options) {
                jvmOptions.add(Objects.requireNonNull(option, "option"));
            }
            return this;
        }
    }

    /**
     * @return completes when the started child has ended (on the JDK's process reaper thread)
     */
    java.util.concurrent.CompletableFuture<?> onExit() {
        final java.lang.Process started = handle;
        if (started == null) {
            throw new IllegalStateException("process " + name + " was not started");
        }
        return started.onExit();
    }

    /** Pool workers choose their own collector; see {@link JvmCommand#forChild}. */
    Process leanDefaults(final boolean value) {
        synchronized (lock) {
            lean = value;
            return this;
        }
    }

    /**
     * @return the exception the target threw in the child, rebuilt here with its stack trace (a
     * {@link RemoteException} carrying its class name, message and stack trace if it could not be
     * serialised), or {@code null} if it did not throw or has not ended
     */
    public Throwable failure() {
        synchronized (lock) {
            final java.lang.Process started = handle;
            if (self || started == null || started.isAlive()) {
                return null;
            }
            if (!failureRead) {
                failure = readFailure();
                failureRead = true;
            }
            return failure;
        }
    }

    private Throwable readFailure() {
        try {
            final byte[] bytes = Files.readAllBytes(failureFile);
            return Failures.decode(MemorySegment.ofArray(bytes));
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException e) {
            return new RemoteException("unknown", "the child's failure report " + failureFile
                + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Releases what this object holds (the failure report, the pipe to the child). The exit code
     * and failure stay readable.
     *
     * @throws IllegalStateException if the process is still running (as Python's {@code close()})
     */
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (handle != null && handle.isAlive()) {
                throw new IllegalStateException("cannot close process " + name + " (pid " + handle.pid()
                    + "): it is still running; join, terminate or kill it first");
            }
            failure();
            reap();
            closed = true;
        }
    }

    /** After the child ended: drop it from the live set, close its lifeline, delete its report. */
    private void reap() {
        synchronized (lock) {
            if (!STARTED.remove(this)) {
                return;
            }
            if (!failureRead) {
                failure = readFailure();
                failureRead = true;
            }
            try {
                lifeline.close();
            } catch (final IOException e) {
                // The child is gone; nothing to flush.
            }
            if (spareCommand != null && !orphaned && !exiting) {
                SpareJvms.replenish(spareCommand);
            }
            try {
                Files.deleteIfExists(failureFile);
            } catch (final IOException e) {
                // The namespace's removal takes it.
            }
        }
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("process " + name + " is closed");
        }
    }

    private void checkNotStarted(final String what) {
        if (handle != null) {
            throw new IllegalStateException("cannot " + what + " of process " + name + ": already started");
        }
    }

    /**
     * At this JVM's exit: terminate daemon children (all children, if our own parent is gone), then
     * wait for the rest, as Python's {@code atexit} handler does. Runs before the namespaces are
     * deleted, because the children may still be using them.
     */
    private static void registerExitAction() {
        if (EXIT_ACTION_REGISTERED.compareAndSet(false, true)) {
            Namespace.beforeExitCleanup(Process::endChildrenAtExit);
        }
    }

    private static void endChildrenAtExit() {
        // Children joined from here on must not ask for spares: this JVM is going.
        exiting = true;
        final List<Process> terminated = new ArrayList<>();
        for (final Process child : STARTED) {
            if (child.daemon || orphaned) {
                child.terminate();
                terminated.add(child);
            }
        }
        for (final Process child : STARTED) {
            if (!terminated.contains(child)) {
                try {
                    child.handle.waitFor();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DAEMON_TERMINATE_GRACE_MILLIS);
        for (final Process child : terminated) {
            try {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || !child.handle.waitFor(left, TimeUnit.NANOSECONDS)) {
                    child.kill();
                }
            } catch (final InterruptedException e) {
                child.kill();
            }
        }
    }

    @Override
    public String toString() {
        final java.lang.Process started = handle;
        final String state;
        if (self) {
            state = "current pid=" + ProcessHandle.current().pid();
        } else if (started == null) {
            state = "initial";
        } else if (started.isAlive()) {
            state = "started pid=" + started.pid();
        } else {
            state = "stopped exitCode=" + exitCode() + " pid=" + started.pid();
        }
        return "<Process name='" + name + "' " + state + (daemon ? " daemon" : "") + ">";
    }
}
