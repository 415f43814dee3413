package dev.mproc.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The child's side of the {@link ChildJvm} protocol: printing protocol lines, reading commands,
 * and exiting when the parent goes away.
 * <p>
 * Why watch stdin: a child must never outlive the test JVM that started it (a crashed or killed
 * surefire fork would otherwise leave children spinning and their namespaces in place). The
 * parent holds the write end of the child's stdin, so end-of-file means "the parent closed it or
 * died"; the child then exits normally, which runs the shutdown hooks that delete its private
 * namespaces.
 * <p>
 * Every wait here is bounded: a child that waits in vain prints {@code FAILED ...} and exits with
 * {@link #EXIT_FAILED}, so the parent's assertion quotes the reason instead of timing out.
 */
public final class ChildMain {
    /** Exit status of a child whose parent closed its stdin or died. */
    public static final int EXIT_PARENT_GONE = 3;
    /** Exit status of a child whose own check or bounded wait failed. */
    public static final int EXIT_FAILED = 2;
    /** How long a child waits for its parent or peer before giving up. */
    public static final Duration PATIENCE = Duration.ofSeconds(40);

    private static final BlockingQueue<String> COMMANDS = new LinkedBlockingQueue<>();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ChildMain() {
    }

    /**
     * Starts watching stdin; call first thing in {@code main}. Idempotent.
     */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    COMMANDS.add(line.strip());
                }
            } catch (final IOException e) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            System.exit(EXIT_PARENT_GONE);
        });
    }

    /**
     * Prints one protocol line and flushes, so the parent sees it at once.
     *
     * @param line the line
     */
    public static void say(final String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Waits for the parent's next command, exiting with {@link #EXIT_FAILED} if none comes in
     * {@link #PATIENCE}.
     *
     * @return the command line
     */
    public static String nextCommand() {
        try {
            final String command = COMMANDS.poll(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
            if (command == null) {
                return failAndExit("no command from the parent within " + PATIENCE.toSeconds() + " s");
            }
            return command;
        } catch (final InterruptedException e) {
            return failAndExit("interrupted waiting for a command");
        }
    }

    /**
     * Waits for the parent's next command and checks it is {@code expected}.
     *
     * @param expected the command expected
     */
    public static void expectCommand(final String expected) {
        final String command = nextCommand();
        if (!command.equals(expected)) {
            failAndExit("expected command " + expected + " but got " + command);
        }
    }

    /**
     * Polls until {@code condition} holds, exiting with {@link #EXIT_FAILED} if it does not within
     * {@link #PATIENCE}. Spins briefly, then parks 50 us between polls: on a two-core machine a
     * child spinning while its peer starts up would steal the core the peer needs.
     *
     * @param what      what is awaited, for the failure line
     * @param condition the condition, which must read shared memory with acquire semantics
     */
    public static void pollUntil(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        int rounds = 0;
        while (!condition.getAsBoolean()) {
            if (++rounds < 1_000) {
                Thread.onSpinWait();
                continue;
            }
            if (System.nanoTime() - deadline > 0) {
                failAndExit("gave up waiting for " + what + " after " + PATIENCE.toSeconds() + " s");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /**
     * Prints {@code FAILED reason} and exits with {@link #EXIT_FAILED}.
     *
     * @param reason what went wrong
     * @param <T>    any type, so that callers can return the (never produced) result
     * @return never returns
     */
    public static <T> T failAndExit(final String reason) {
        say("FAILED " + reason);
        System.exit(EXIT_FAILED);
        throw new AssertionError("unreachable");
    }
}
