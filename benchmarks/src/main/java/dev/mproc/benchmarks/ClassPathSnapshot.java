package dev.mproc.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Private copies of the class path, taken when the suite starts, for the sides' JVMs: each jar
 * copied, each directory packed into a jar of its own, in the original order.
 * <p>
 * Why copies: the suite runs for minutes on a machine where other builds re-install
 * {@code mproc-core} into {@code ~/.m2} (or rebuild {@code core/target}) at any moment. A JVM opens
 * a class-path jar only when it first needs a class from it, so a side started while the jar is
 * being replaced fails with {@code NoClassDefFoundError}. Sides started from a snapshot all see the
 * same, complete jars.
 * <p>
 * Why jars only: a class path of jars is what a packaged application has, and what the JVM's AOT
 * cache needs; the children the sides start (processes, pool workers) then get mproc's start-up
 * cache as a user's would. The caches go to a directory of the snapshot ({@link #startupCacheOption()}),
 * deleted with it, never to the user's cache directory.
 */
final class ClassPathSnapshot implements AutoCloseable {
    private final Path directory;
    private final String classPath;

    private ClassPathSnapshot(final Path directory, final String classPath) {
        this.directory = directory;
        this.classPath = classPath;
    }

    /**
     * @param classPath the class path to copy, in {@code java.class.path} form
     * @return a snapshot; where an entry cannot be copied the original path is kept
     */
    static ClassPathSnapshot of(final String classPath) {
        final Path directory;
        try {
            directory = Files.createTempDirectory("mproc-bench-classpath-");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a directory for the class path snapshot", e);
        }
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : classPath.split(File.pathSeparator)) {
            final Path path = Path.of(entry);
            // Numbered, so that two entries of the same name cannot collide.
            final Path copy = directory.resolve((index++) + "-" + path.getFileName() + (entry.endsWith(".jar") ? "" : ".jar"));
            try {
                if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                } else if (Files.isDirectory(path)) {
                    pack(path, copy);
                } else {
                    entries.add(entry);
                    continue;
                }
                entries.add(copy.toString());
            } catch (final IOException e) {
                entries.add(entry);
            }
        }
        return new ClassPathSnapshot(directory, String.join(File.pathSeparator, entries));
    }

    private static void pack(final Path classes, final Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (final Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    /**
     * @return the option that puts the start-up caches of the sides' children in this snapshot
     */
    String startupCacheOption() {
        return "-Dmproc.process.aotCacheDir=" + directory.resolve("aot-cache");
    }

    /** @return the class path to give the sides */
    String classPath() {
        return classPath;
    }

    /** Deletes the copies. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException ignored) {
                    // A leftover copy in the temp directory is harmless.
                }
            });
        } catch (final IOException ignored) {
            // Same.
        }
    }
}
