package dev.mproc.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Child JVMs started ahead of need: a spare has booted, loaded and exercised the classes every
 * child uses (serialisation, lambdas, memory segments), and waits on its standard input for a
 * task. {@link Process#start()} takes a spare made with the same command line when there is one,
 * so a child runs its task within milliseconds rather than after a JVM's start-up. (Python's
 * forkserver keeps a process ready for the same reason.) A spare is started in the background
 * when a child that could have been one ends: a program that starts children one after another
 * gets warm ones from the second on, while one that starts a burst of children at once does not
 * get a spare booting beside them on the same CPUs.
 *
 * <p>Each ended child asks for one spare of its command line, up to {@value #DEFAULT_SPARES} per
 * command line (the system property {@value #SPARES_PROPERTY} changes it; 0 turns spares off):
 * a pool of two that closes leaves two spares, and the next pool of two starts warm. Spares are only used for children
 * whose output goes to this JVM's (the default), since a spare's output was fixed when it
 * started. A spare is not a child until taken: {@link Process#activeChildren()} does not list it.
 * It ends with this JVM, like a daemon child, and if this JVM dies it sees its standard input
 * close and exits, like any child.
 */
final class SpareJvms {

    /** System property: how many spares to keep per command line. */
    static final String SPARES_PROPERTY = "mproc.process.spares";
    static final int DEFAULT_SPARES = 4;
    /**
     * The argument that tells {@link ChildMain} it is a spare: warm up while waiting, then create
     * its ready marker in the directory given as the next argument.
     */
    static final String SPARE_ARGUMENT = "--spare";
    private static final long READY_POLL_MILLIS = 2;
    /** A ready marker's name is this, the spare's pid, then {@link #MARKER_SUFFIX}. */
    private static final String MARKER_PREFIX = ".spare-";
    private static final String MARKER_SUFFIX = "-ready";

    private static final int SPARES = Integer.getInteger(SPARES_PROPERTY, DEFAULT_SPARES);
    private static final Map<List<String>, List<java.lang.Process>> READY = new HashMap<>();
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        final Thread thread = new Thread(task, "mproc-spare-launcher");
        thread.setDaemon(true);
        return thread;
    });
    private static boolean exitActionRegistered;
    private static volatile Path markers;
    /** Set at exit, under READY: no spare is launched or kept after it. */
    private static boolean exiting;

    private SpareJvms() {
    }

    /**
     * @param command the child command line
     * @return a live spare started with exactly that command, now the caller's; or {@code null}
     */
    static java.lang.Process take(final List<String> command) {
        synchronized (READY) {
            final List<java.lang.Process> spares = READY.get(command);
            if (spares == null) {
                return null;
            }
            spares.removeIf(spare -> !spare.isAlive());
            if (spares.isEmpty()) {
                return null;
            }
            // A warmed one if there is one; else the oldest, which is still ahead of a cold start.
            java.lang.Process chosen = spares.getFirst();
            for (final java.lang.Process spare : spares) {
                if (isReady(spare)) {
                    chosen = spare;
                    break;
                }
            }
            spares.remove(chosen);
            return chosen;
        }
    }

    /**
     * Starts spares for {@code command} until there are {@code count}, and waits until they are
     * warm or the timeout passes.
     *
     * @return how many spares of that command line are warm
     */
    static int prestart(final List<String> command, final int count, final long timeoutNanos)
        throws InterruptedException {
        final List<String> key = List.copyOf(command);
        while (true) {
            synchronized (READY) {
                final List<java.lang.Process> spares = READY.computeIfAbsent(key, k -> new ArrayList<>());
                spares.removeIf(spare -> !spare.isAlive());
                if (spares.size() >= count) {
                    break;
                }
            }
            if (launch(key) == null) {
                break;
            }
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            final int ready = readyCount(key);
            if (ready >= count || System.nanoTime() - deadline >= 0) {
                return ready;
            }
            // Another process's start-up: nothing to wait on but its marker file.
            Thread.sleep(READY_POLL_MILLIS);
        }
    }

    private static int readyCount(final List<String> key) {
        synchronized (READY) {
            int ready = 0;
            for (final java.lang.Process spare : READY.getOrDefault(key, List.of())) {
                if (spare.isAlive() && isReady(spare)) {
                    ready++;
                }
            }
            return ready;
        }
    }

    /** A spare announces that it is warm by creating this file (see {@code ChildRuntime}). */
    static Path readyMarker(final Path directory, final long pid) {
        return directory.resolve(MARKER_PREFIX + pid + MARKER_SUFFIX);
    }

    private static boolean isReady(final java.lang.Process spare) {
        return Files.exists(readyMarker(markerDirectory(), spare.pid()));
    }

    private static Path markerDirectory() {
        Path directory = markers;
        if (directory == null) {
            directory = dev.mproc.core.Namespace.userRoot();
            removeStaleMarkers(directory);
            markers = directory;
        }
        return directory;
    }

    /**
     * Removes the ready markers of spares that are no longer running. A spare removes its own
     * marker when it takes a task or sees its parent gone, and its parent removes it at exit; a
     * spare killed from outside (a whole process tree SIGKILLed, say) does neither, and its empty
     * marker would stay in the user's shared-memory root, keeping the root from being removed.
     * A marker naming a live process is left alone: it may be another JVM's spare, or a reused pid,
     * and a marker is only ever a hint.
     *
     * @param directory where markers are made
     * @return how many markers were removed
     */
    static int removeStaleMarkers(final Path directory) {
        int removed = 0;
        try (var entries = Files.newDirectoryStream(directory, MARKER_PREFIX + "*" + MARKER_SUFFIX)) {
            for (final Path marker : entries) {
                final String name = marker.getFileName().toString();
                final long pid;
                try {
                    pid = Long.parseLong(name.substring(MARKER_PREFIX.length(), name.length() - MARKER_SUFFIX.length()));
                } catch (final NumberFormatException e) {
                    continue; // not one of ours
                }
                if (ProcessHandle.of(pid).isEmpty() && Files.deleteIfExists(marker)) {
                    removed++;
                }
            }
        } catch (final IOException | RuntimeException e) {
            // The root is not there yet, or is shared and racing with another JVM's sweep: the
            // markers are harmless, and the next JVM tries again.
        }
        return removed;
    }

    /** Starts spares for {@code command}, in the background, until there are enough. */
    static void replenish(final List<String> command) {
        if (SPARES <= 0) {
            return;
        }
        final List<String> key = List.copyOf(command);
        LAUNCHER.execute(() -> {
            synchronized (READY) {
                if (exiting) {
                    return;
                }
                final List<java.lang.Process> spares = READY.computeIfAbsent(key, k -> new ArrayList<>());
                spares.removeIf(spare -> !spare.isAlive());
                if (spares.size() >= SPARES) {
                    return;
                }
            }
            launch(key);
        });
    }

    /** Launches one spare for {@code key} and files it; null if it could not be started. */
    private static java.lang.Process launch(final List<String> key) {
        synchronized (READY) {
            if (exiting) {
                return null;
            }
            registerExitAction();
        }
        final List<String> spareCommand = new ArrayList<>(key);
        spareCommand.add(SPARE_ARGUMENT);
        spareCommand.add(markerDirectory().toString());
        try {
            final java.lang.Process spare = new ProcessBuilder(spareCommand)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            synchronized (READY) {
                if (exiting) {
                    // This JVM began to exit while the spare was being launched.
                    spare.destroyForcibly();
                    return null;
                }
                READY.computeIfAbsent(key, k -> new ArrayList<>()).add(spare);
            }
            return spare;
        } catch (final IOException e) {
            // No spare this time: the next start is a cold one, which reports its own errors.
            return null;
        }
    }

    private static void registerExitAction() {
        if (!exitActionRegistered) {
            exitActionRegistered = true;
            dev.mproc.core.Namespace.beforeExitCleanup(SpareJvms::killAll);
        }
    }

    /** At exit: spares hold nothing of the user's, so SIGKILL is enough and quickest. */
    private static void killAll() {
        synchronized (READY) {
            exiting = true;
            for (final List<java.lang.Process> spares : READY.values()) {
                for (final java.lang.Process spare : spares) {
                    spare.destroyForcibly();
                    try {
                        // markers is set once a spare was launched; never create the root here.
                        Files.deleteIfExists(readyMarker(markers, spare.pid()));
                    } catch (final IOException | RuntimeException e) {
                        // A stray marker names a dead pid; nothing reads it.
                    }
                }
            }
            READY.clear();
            if (markers != null) {
                // A namespace closed while a spare's marker was there could not remove the then
                // non-empty root; leave no empty root behind (as Namespace does).
                try {
                    Files.deleteIfExists(markers);
                } catch (final IOException e) {
                    // Not empty: other namespaces live there.
                }
            }
        }
    }
}
