package dev.mproc.tests.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.ipc.Queue;
import dev.mproc.process.Process;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link StartupCacheTest}: a parent JVM, started on a class path of jars,
 * that starts one mproc child and reports the JVM options that child ran with.
 * <ul>
 *   <li>{@code StartupCacheParent await <namespaceDir>}: first waits for the start-up cache
 *   ({@link Process#awaitStartupCache}) and prints {@code CACHE <file>}, or
 *   {@code NO_CACHE <reason>}; then as {@code start}.</li>
 *   <li>{@code StartupCacheParent start <namespaceDir>}: starts a child that sends back its JVM
 *   options through a queue, joins it, and prints {@code CHILD <exit code> <options>}.</li>
 * </ul>
 */
public final class StartupCacheParent {
    /** Building a cache takes a few seconds of one CPU; a loaded CI machine may take much longer. */
    private static final long BUILD_SECONDS = 150;
    private static final long PROMPT_SECONDS = 30;

    private StartupCacheParent() {
    }

    /**
     * @param args mode and namespace directory (see the class comment)
     * @throws Exception if a wait fails; the test then reads the stack trace from stderr
     */
    public static void main(final String[] args) throws Exception {
        ChildMain.start();
        if (args[0].equals("await")) {
            final Optional<Path> cache = Process.awaitStartupCache(BUILD_SECONDS, TimeUnit.SECONDS);
            ChildMain.say(cache.map(file -> "CACHE " + file).orElseGet(() -> "NO_CACHE "
                + Process.startupCacheUnavailableReason().orElse("the build failed or took over " + BUILD_SECONDS + " s")));
            if (cache.isEmpty()) {
                printFailedBuilds();
            }
        }
        final Mproc mp = Mproc.attach(Path.of(args[1]));
        final Queue<String> options = mp.queue();
        final Process child = mp.process(() -> Tasks.put(options,
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        child.start();
        final String reported = options.poll(PROMPT_SECONDS, TimeUnit.SECONDS);
        if (!child.join(PROMPT_SECONDS, TimeUnit.SECONDS)) {
            ChildMain.failAndExit("the child did not end within " + PROMPT_SECONDS + " s");
        }
        ChildMain.say("CHILD " + child.exitCode() + " " + reported);
        options.close();
    }

    /** For the test's failure message: what a failed build printed. */
    private static void printFailedBuilds() throws java.io.IOException {
        final Path directory = Path.of(System.getProperty("mproc.process.aotCacheDir"));
        if (!java.nio.file.Files.isDirectory(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".failed")).toList()) {
                System.err.println(file + ":\n" + java.nio.file.Files.readString(file));
            }
        }
    }
}
