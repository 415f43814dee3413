package dev.mproc.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Private copies of the jars on the class path, taken when the suite starts, for the sides' JVMs.
 * <p>
 * Why: the suite runs for minutes on a machine where other builds re-install {@code mproc-core}
 * into {@code ~/.m2} (or rebuild {@code core/target}) at any moment. A JVM opens a class-path jar
 * only when it first needs a class from it, so a side started while the jar is being replaced fails
 * with {@code NoClassDefFoundError}. Sides started from a snapshot all see the same, complete jars.
 * Directories (this module's {@code target/classes}) are used in place: only this build writes them.
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
     * @return a snapshot; where a jar cannot be copied the original path is kept
     */
    static ClassPathSnapshot of(final String classPath) {
        Path directory = null;
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : classPath.split(File.pathSeparator)) {
            final Path path = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                entries.add(entry);
                continue;
            }
            try {
                if (directory == null) {
                    directory = Files.createTempDirectory("mproc-bench-classpath-");
                }
                // Numbered, so that two jars of the same name cannot collide.
                final Path copy = directory.resolve((index++) + "-" + path.getFileName());
                Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } catch (final IOException e) {
                entries.add(entry);
            }
        }
        return new ClassPathSnapshot(directory, String.join(File.pathSeparator, entries));
    }

    /** @return the class path to give the sides */
    String classPath() {
        return classPath;
    }

    /** Deletes the copies. */
    @Override
    public void close() {
        if (directory == null) {
            return;
        }
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
