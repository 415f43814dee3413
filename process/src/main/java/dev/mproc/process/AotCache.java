package dev.mproc.process;

import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An ahead-of-time cache for child JVMs: JDK 25's AOT cache (JEPs 483, 514, 515), which holds the
 * classes a child loads, already parsed and linked, and the method profiles of a training run.
 * A child started with it skips most of its class loading and linking: the JVM's own start-up
 * techniques, applied for the user, as Python's spawn relies on its cached bytecode.
 *
 * <p>One cache per child command line (the java binary and version, every option, the class and
 * module paths, and the size and modification time of every jar on them), in a user cache
 * directory ({@value #DIRECTORY_PROPERTY}; by default {@code $XDG_CACHE_HOME/mproc/aot} or
 * {@code ~/.cache/mproc/aot}). The first time a command line is used on a machine, this JVM
 * starts a detached builder JVM in the background (at lower CPU priority where {@code nice}
 * exists), which runs a training JVM through a typical child's start-up and renames the finished
 * cache into place; children started after that get {@code -XX:AOTCache}. The build takes a few
 * seconds of one CPU, once; it finishes even if this JVM exits first. At most
 * {@value #KEPT_CACHES} caches are kept (least recently used go first), about 15 MB each.
 *
 * <p>Only command lines whose class path and module path hold nothing but jar files qualify (the
 * JVM cannot archive classes from a directory), so a packaged application gets the cache and a
 * build tool running tests from {@code target/classes} does not. Nothing is added when the
 * options already choose class data sharing ({@code -XX:AOTCache}, {@code -XX:SharedArchiveFile},
 * {@code -Xshare:off}...), and {@code -D}{@value #ENABLED_PROPERTY}{@code =false} turns the cache
 * off. A failed build (its output is kept beside the cache as {@code .failed}) is not retried for
 * a day. A cache the JVM cannot use (removed between the check and the start, or corrupted) makes
 * the child start without it, silently ({@code -Xlog:aot*=off}): it is an optimisation, never a
 * reason for a child to fail.
 */
final class AotCache {

    /** System property: {@code false} turns the cache off. Read at every child start. */
    static final String ENABLED_PROPERTY = "mproc.process.aotCache";
    /** System property: the directory the caches live in. */
    static final String DIRECTORY_PROPERTY = "mproc.process.aotCacheDir";
    /** Argument of {@link ChildMain}: build a cache (the builder JVM). */
    static final String BUILD_ARGUMENT = "--aot-build";
    /** Argument of {@link ChildMain}: exit at once (the builder's check that a cache is usable). */
    static final String CHECK_ARGUMENT = "--aot-check";
    static final int KEPT_CACHES = 8;

    private static final String CACHE_OPTION = "-XX:AOTCache=";
    private static final String OUTPUT_OPTION = "-XX:AOTCacheOutput=";
    /** Keeps a cache the JVM refuses from printing to the child's standard output. */
    private static final String QUIET_OPTION = "-Xlog:aot*=off";
    /**
     * Options that choose class data sharing themselves, the user's choice: no cache is added.
     * The JVM refuses to start with both {@code -XX:AOTCache} and any {@code -Xshare:} option.
     */
    private static final List<String> SHARING_CHOICES = List.of(CACHE_OPTION, OUTPUT_OPTION, "-XX:AOTMode=",
        "-XX:AOTConfiguration=", "-XX:SharedArchiveFile=", "-Xshare:on", "-Xshare:off", "-Xshare:dump",
        "-XX:ArchiveClassesAtExit=", "-XX:+AutoCreateSharedArchive", "-XX:DumpLoadedClassList=",
        "-XX:SharedClassListFile=");
    /**
     * The default, and so dropped where the cache is used: the JVM refuses {@code -XX:AOTCache}
     * beside it (a parent started with it passes it on to its children).
     */
    private static final String SHARING_DEFAULT = "-Xshare:auto";
    /** How the builder's check sees that a child's classes come from the cache. */
    private static final String ARCHIVED_ENTRY_POINT = ChildMain.class.getName() + " source: shared objects file";
    private static final long CHECK_TIMEOUT_SECONDS = 60;
    private static final String PREFIX = "child-";
    private static final String SUFFIX = ".aot";
    private static final int FIRST_JDK_WITH_CACHE_OUTPUT = 25;
    private static final long LOCK_STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final long FAILED_RETRY_MILLIS = TimeUnit.DAYS.toMillis(1);
    private static final long TRAINING_TIMEOUT_MINUTES = 5;
    private static final long WAIT_POLL_MILLIS = 20;
    private static final int KEY_BYTES = 16;

    /** By cache file: the key covers the jars' sizes and times, so a rebuilt jar is a new entry. */
    private static final Map<Path, Entry> ENTRIES = new ConcurrentHashMap<>();
    /** The training run's task: the start-up path of a child, then what tasks and workers do most. */
    private static final dev.mproc.core.SerializableRunnable TRAINING = ChildWarmUp::trainingTask;

    private AotCache() {
    }

    /**
     * What this JVM knows of one command line's cache.
     *
     * @param file        where its cache is (or will be), or {@code null} if it cannot have one
     * @param unavailable why it cannot, or {@code null}
     */
    private record Entry(Path file, String unavailable, AtomicBoolean buildRequested, AtomicBoolean touched) {
        static Entry of(final Path file) {
            return new Entry(file, null, new AtomicBoolean(), new AtomicBoolean());
        }

        static Entry without(final String reason) {
            return new Entry(null, reason, new AtomicBoolean(), new AtomicBoolean());
        }
    }

    /**
     * @param command a child command line, entry point last
     * @return the command with the options that use its cache if the cache is built; else the
     *         command itself, the build having been started in the background if it can be
     */
    static List<String> apply(final List<String> command) {
        if (!enabled()) {
            return command;
        }
        final Entry entry = entry(command);
        if (entry.file() == null) {
            return command;
        }
        if (!Files.isRegularFile(entry.file())) {
            requestBuild(entry, command);
            return command;
        }
        if (entry.touched().compareAndSet(false, true)) {
            touch(entry.file());
        }
        return withCache(command, entry.file());
    }

    /** @return {@code command} started with the cache {@code file}, silently if it cannot be used */
    private static List<String> withCache(final List<String> command, final Path file) {
        final List<String> cached = new ArrayList<>(command.size() + 2);
        cached.add(command.getFirst());
        cached.add(CACHE_OPTION + file);
        cached.add(QUIET_OPTION);
        cached.addAll(withoutSharingDefault(command.subList(1, command.size())));
        return cached;
    }

    private static List<String> withoutSharingDefault(final List<String> options) {
        return options.stream().filter(option -> !option.equals(SHARING_DEFAULT)).toList();
    }

    /**
     * Builds the cache for {@code command} if it is not built, and waits for it.
     *
     * @return the cache file, or {@code null} if the command line cannot have one or the build
     *         failed or did not finish in time
     */
    static Path await(final List<String> command, final long timeoutNanos) throws InterruptedException {
        if (!enabled()) {
            return null;
        }
        final Entry entry = entry(command);
        if (entry.file() == null) {
            return null;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        while (!Files.isRegularFile(entry.file())) {
            requestBuild(entry, command);
            if (Files.exists(failedMarker(entry.file())) || System.nanoTime() - deadline >= 0) {
                return null;
            }
            // A separate JVM builds it: nothing to wait on but the file's appearance.
            Thread.sleep(WAIT_POLL_MILLIS);
        }
        return entry.file();
    }

    /** @return why {@code command} cannot have a cache, or {@code null} if it can */
    static String unavailableReason(final List<String> command) {
        if (!enabled()) {
            return ENABLED_PROPERTY + "=false";
        }
        final Entry entry = entry(command);
        if (entry.file() != null && Files.exists(failedMarker(entry.file()))) {
            return "its last build failed; the build's output is in " + failedMarker(entry.file())
                + " (retried a day later, or once that file is deleted)";
        }
        return entry.unavailable();
    }

    /** @return where the cache of {@code command} is or will be, or {@code null} if it cannot have one */
    static Path fileFor(final List<String> command) {
        return entry(command).file();
    }

    /** @return true for the options this class adds, which a grandchild must not inherit blindly */
    static boolean isOwnOption(final String option) {
        return QUIET_OPTION.equals(option)
            || option.startsWith(CACHE_OPTION) && Path.of(option.substring(CACHE_OPTION.length())).startsWith(directory());
    }

    private static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));
    }

    /**
     * Described afresh at each child start (a digest and a {@code stat} per jar: microseconds
     * beside a JVM's start), so that a jar rebuilt while this JVM runs is never paired with a cache
     * of its old classes: the JVM's own check compares times to the second only.
     */
    private static Entry entry(final List<String> command) {
        final Entry described = describe(command);
        return described.file() == null ? described : ENTRIES.computeIfAbsent(described.file(), file -> described);
    }

    static Path directory() {
        final String chosen = System.getProperty(DIRECTORY_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen).toAbsolutePath();
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mproc").resolve("aot").toAbsolutePath();
    }

    private static Entry describe(final List<String> command) {
        final Naming naming = name(command);
        if (naming.unavailable() != null) {
            return Entry.without(naming.unavailable());
        }
        final Path directory = directory();
        try {
            Files.createDirectories(directory);
        } catch (final IOException | SecurityException e) {
            return Entry.without("cannot create the cache directory " + directory + ": " + e);
        }
        return Entry.of(directory.resolve(naming.fileName()));
    }

    /**
     * The name of a command line's cache file, or why it cannot have one.
     *
     * @param fileName    the name, or {@code null}
     * @param unavailable the reason, or {@code null}
     */
    private record Naming(String fileName, String unavailable) {
    }

    private static Naming name(final List<String> command) {
        if (Runtime.version().feature() < FIRST_JDK_WITH_CACHE_OUTPUT) {
            return new Naming(null, "JDK " + Runtime.version().feature()
                + " cannot build an AOT cache in one run (25+)");
        }
        for (final String option : command) {
            for (final String choice : SHARING_CHOICES) {
                if (option.startsWith(choice)) {
                    return new Naming(null, "the JVM options already choose class data sharing (" + option + ")");
                }
            }
        }
        final List<Path> jars = new ArrayList<>();
        for (int i = 0; i < command.size() - 1; i++) {
            final String option = command.get(i);
            if (option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")
                || option.equals("--module-path") || option.equals("-p")) {
                for (final String element : command.get(i + 1).split(File.pathSeparator)) {
                    if (element.isEmpty()) {
                        continue;
                    }
                    final Path path = Path.of(element);
                    if (!Files.isRegularFile(path)) {
                        return new Naming(null, "the class or module path holds " + element
                            + ", which is not a jar file; the JVM archives classes from jars only");
                    }
                    jars.add(path);
                }
            }
        }
        try {
            return new Naming(PREFIX + key(command, jars) + SUFFIX, null);
        } catch (final IOException e) {
            return new Naming(null, "cannot read the class path's jars: " + e);
        }
    }

    /** A digest of everything the cache's validity depends on. */
    private static String key(final List<String> command, final List<Path> jars) throws IOException {
        final MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        final StringBuilder text = new StringBuilder()
            .append(System.getProperty("java.home")).append('\0')
            .append(System.getProperty("java.vm.version")).append('\0');
        for (final String option : command) {
            text.append(option).append('\0');
        }
        for (final Path jar : jars) {
            // The JVM checks a jar's size and time too, but the time only to the second: a jar
            // rebuilt within a second of the training (same size) would pass with stale classes.
            text.append(jar).append('\0').append(Files.size(jar)).append('\0')
                .append(Files.getLastModifiedTime(jar).toMillis()).append('\0');
        }
        final byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, KEY_BYTES);
    }

    private static Path failedMarker(final Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".failed");
    }

    private static Path lockFile(final Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".lock");
    }

    /** Starts the builder unless this JVM already did, another JVM is at it, or it failed lately. */
    private static void requestBuild(final Entry entry, final List<String> command) {
        if (entry.buildRequested().get()) {
            return;
        }
        final Path cache = entry.file();
        final Path failed = failedMarker(cache);
        try {
            if (Files.exists(failed)) {
                if (ageMillis(failed) < FAILED_RETRY_MILLIS) {
                    entry.buildRequested().set(true);
                    return;
                }
                Files.deleteIfExists(failed);
            }
            if (!lock(lockFile(cache))) {
                return; // another JVM builds it; asked again at the next start
            }
        } catch (final IOException e) {
            entry.buildRequested().set(true);
            return;
        }
        if (!entry.buildRequested().compareAndSet(false, true)) {
            deleteQuietly(lockFile(cache));
            return;
        }
        final List<String> builder = new ArrayList<>(command);
        builder.add(BUILD_ARGUMENT);
        builder.add(cache.toString());
        builder.addAll(command);
        try {
            new ProcessBuilder(builder)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(failed.resolveSibling(cache.getFileName() + ".log").toFile()))
                .start();
        } catch (final IOException e) {
            deleteQuietly(lockFile(cache));
        }
    }

    /** @return true if this JVM now holds the build lock */
    private static boolean lock(final Path lock) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(lock);
                return true;
            } catch (final FileAlreadyExistsException e) {
                // A builder that died leaves its lock: taken over once it is older than any build.
                if (ageMillis(lock) < LOCK_STALE_MILLIS) {
                    return false;
                }
                Files.deleteIfExists(lock);
            }
        }
        return false;
    }

    private static long ageMillis(final Path file) throws IOException {
        return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
    }

    private static void touch(final Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (final IOException e) {
            // Only the eviction order suffers.
        }
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            // Left for the stale-lock rule.
        }
    }

    /**
     * The builder JVM's work: run the training JVM, move its cache into place (or keep its output
     * as the failure marker), remove the lock, evict old caches.
     *
     * @param args {@code --aot-build <cache file> <child command...>}
     * @return the exit status for the builder JVM
     */
    static int build(final String[] args) {
        final Path cache = Path.of(args[1]);
        final List<String> command = List.of(args).subList(2, args.length);
        final Path partial = cache.resolveSibling(cache.getFileName() + ".partial-" + ProcessHandle.current().pid());
        final Path log = cache.resolveSibling(cache.getFileName() + ".log");
        final List<String> training = new ArrayList<>();
        final Path nice = Path.of("/usr/bin/nice");
        if (Files.isExecutable(nice)) {
            // The build is a background chore: it must not slow down the program that asked for it.
            training.addAll(List.of(nice.toString(), "-n", "10"));
        }
        training.add(command.getFirst());
        training.add(OUTPUT_OPTION + partial);
        training.addAll(withoutSharingDefault(command.subList(1, command.size())));
        boolean built = false;
        try {
            // The training JVM is a child like any other, and this JVM its parent: it reads its
            // task from standard input and runs it through the very path every child takes, so the
            // cache holds what that path loads and links (lambdas and method handles included).
            final java.lang.Process trainer = new ProcessBuilder(training)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
            final OutputStream lifeline = trainer.getOutputStream();
            final Path failure = partial.resolveSibling(partial.getFileName() + ".failure");
            new ChildSpec("AotTraining", "0", "", failure.toString(), false, Process.encodeTarget(TRAINING))
                .writeTo(new DataOutputStream(lifeline));
            final boolean ended = trainer.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            // Open until now: a child takes the end of its standard input for its parent's death.
            lifeline.close();
            deleteQuietly(failure);
            if (!ended) {
                trainer.destroyForcibly();
                Files.writeString(log, "mproc: the training JVM did not finish within " + TRAINING_TIMEOUT_MINUTES
                    + " minutes\n", java.nio.file.StandardOpenOption.APPEND);
            } else if (trainer.exitValue() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0
                && cache.getFileName().toString().equals(name(command).fileName()) && usable(command, partial, log)) {
                // (A jar rebuilt during the training would give the cache the wrong name: dropped.)
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                built = true;
            }
            if (built) {
                Files.deleteIfExists(log);
                evict(cache.getParent());
            } else {
                Files.move(log, failedMarker(cache), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException | RuntimeException e) {
            System.err.println("mproc: building the AOT cache " + cache + " failed: " + e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(partial);
            deleteQuietly(partial.resolveSibling(partial.getFileName() + ".config"));
            deleteQuietly(lockFile(cache));
        }
        return built ? 0 : 1;
    }

    /**
     * Starts a JVM exactly as a child would start with the new cache (plus class-loading output)
     * and checks that it starts, exits cleanly and takes mproc's own classes from the cache: no
     * cache reaches children that would refuse it, or start without its benefit.
     */
    private static boolean usable(final List<String> command, final Path partial, final Path log)
        throws IOException, InterruptedException {
        final List<String> check = new ArrayList<>(withCache(command, partial));
        check.add(1, "-Xlog:class+load=info:stdout");
        check.add(CHECK_ARGUMENT);
        final Path output = partial.resolveSibling(partial.getFileName() + ".check");
        final String printed;
        final boolean started;
        try {
            final java.lang.Process checker = new ProcessBuilder(check)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            if (!checker.waitFor(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                checker.destroyForcibly().waitFor();
            }
            started = checker.exitValue() == 0;
            printed = Files.readString(output);
        } finally {
            deleteQuietly(output);
        }
        if (started && printed.contains(ARCHIVED_ENTRY_POINT)) {
            return true;
        }
        Files.writeString(log, "mproc: a JVM started with the new cache (" + String.join(" ", check)
            + ") did not start, exit 0 and load " + ChildMain.class.getName() + " from it; it printed:\n" + printed,
            java.nio.file.StandardOpenOption.APPEND);
        return false;
    }

    /** Keeps the {@value #KEPT_CACHES} most recently used caches. */
    private static void evict(final Path directory) throws IOException {
        final List<Path> caches = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            files.forEach(caches::add);
        }
        if (caches.size() <= KEPT_CACHES) {
            return;
        }
        caches.sort(Comparator.comparingLong(AotCache::lastUsed).reversed());
        for (final Path old : caches.subList(KEPT_CACHES, caches.size())) {
            // A child starting with it has mapped it already; one about to start runs without.
            deleteQuietly(old);
        }
    }

    private static long lastUsed(final Path cache) {
        try {
            return Files.getLastModifiedTime(cache).toMillis();
        } catch (final IOException e) {
            return 0;
        }
    }
}
