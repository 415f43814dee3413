package dev.mproc.tests.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import dev.mproc.Mproc;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up cache of child JVMs, for real: a parent JVM on a class path of jars (as a packaged
 * application has) gets its cache built by a background JVM, and its next child runs with
 * {@code -XX:AOTCache}; a cache file corrupted afterwards costs the child its speed, never its
 * run or a line of output.
 * <p>
 * This JVM's own class path holds Maven's {@code target/classes} directories, which the JVM cannot
 * archive, so the test packs each directory into a jar first. The cache goes to a directory of the
 * test ({@code mproc.process.aotCacheDir}), never to the user's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class StartupCacheTest {
    /** The build runs a training JVM and an assembling one: seconds here, far more on a loaded machine. */
    private static final Duration BUILD = Duration.ofSeconds(200);
    private static final Duration PROMPT = Duration.ofSeconds(60);
    private static final String CACHE_OPTION = "-XX:AOTCache=";

    @TempDir
    Path temp;

    private Mproc mp;

    @BeforeEach
    void createNamespace() {
        mp = Mproc.create();
    }

    @AfterEach
    void closeNamespace() {
        mp.close();
    }

    @Test
    void shouldBuildACacheForAClassPathOfJarsAndStartTheNextChildWithIt() throws IOException {
        final String classPath = jarClassPath(temp.resolve("classpath"));
        final Path cacheDirectory = temp.resolve("aot");
        final Map<String, String> properties = Map.of("mproc.process.aotCacheDir", cacheDirectory.toString(),
            "mproc.process.spares", "0");

        final Path cache;
        try (ChildJvm parent = ChildJvm.startOn(classPath, StartupCacheParent.class, List.of(), properties,
            "await", mp.directory().toString())) {
            cache = Path.of(parent.awaitLine("CACHE", BUILD));
            // (A failed build is reported as NO_CACHE, with the file holding the build's output.)
            assertTrue(cache.startsWith(cacheDirectory), parent.describe("reported a cache outside " + cacheDirectory));
            assertTrue(Files.size(cache) > 1 << 20, parent.describe("reported a cache of " + Files.size(cache) + " bytes"));
            final String child = parent.awaitLine("CHILD", PROMPT);
            assertTrue(child.startsWith("0 "), parent.describe("reported a child that failed"));
            assertTrue(child.contains(CACHE_OPTION + cache), parent.describe("started a child without the cache"));
            assertEquals(0, parent.waitFor(PROMPT), parent.describe("failed"));
            assertQuiet(parent);
        }
        // The builder removes its lock and log just after the cache appears: give it a moment.
        final long deadline = System.nanoTime() + PROMPT.toNanos();
        while (fileNames(cacheDirectory).size() > 1 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(cache.getFileName().toString()), fileNames(cacheDirectory),
            "the build left more than its cache behind");

        // A cache the JVM cannot read (here: garbage of the same length) must cost nothing but speed.
        final byte[] garbage = new byte[Math.toIntExact(Files.size(cache))];
        Arrays.fill(garbage, (byte) 0x5a);
        Files.write(cache, garbage);
        try (ChildJvm parent = ChildJvm.startOn(classPath, StartupCacheParent.class, List.of(), properties,
            "start", mp.directory().toString())) {
            final String child = parent.awaitLine("CHILD", PROMPT);
            assertTrue(child.startsWith("0 "), parent.describe("reported that a child with a corrupt cache failed"));
            assertTrue(child.contains(CACHE_OPTION + cache), parent.describe("did not give the child the cache file"));
            assertEquals(0, parent.waitFor(PROMPT), parent.describe("failed"));
            assertQuiet(parent);
        }
    }

    @Test
    void shouldStartChildrenWithoutACacheWhenTheClassPathHoldsADirectory() {
        final Path cacheDirectory = temp.resolve("aot");
        // This JVM's own class path: Maven's target/classes directories.
        try (ChildJvm parent = ChildJvm.startOn(System.getProperty("java.class.path"), StartupCacheParent.class,
            List.of(), Map.of("mproc.process.aotCacheDir", cacheDirectory.toString(), "mproc.process.spares", "0"),
            "await", mp.directory().toString())) {
            final String reason = parent.awaitLine("NO_CACHE", PROMPT);
            assertTrue(reason.contains("not a jar file"), parent.describe("gave another reason"));
            final String child = parent.awaitLine("CHILD", PROMPT);
            assertTrue(child.startsWith("0 "), parent.describe("reported a child that failed"));
            assertFalse(child.contains(CACHE_OPTION), parent.describe("gave the child a cache"));
            assertEquals(0, parent.waitFor(PROMPT), parent.describe("failed"));
        }
        assertFalse(Files.exists(cacheDirectory) && !fileNames(cacheDirectory).isEmpty(),
            () -> "a build was started for a class path the JVM cannot archive: " + fileNames(cacheDirectory));
    }

    /** The JVM prints what it thinks of a cache on standard output unless told not to: nothing but the protocol. */
    private static void assertQuiet(final ChildJvm parent) {
        for (final String line : parent.output().split("\n")) {
            assertTrue(line.startsWith("CACHE ") || line.startsWith("CHILD "),
                parent.describe("printed a line besides the protocol's: " + line));
        }
    }

    /** This JVM's class path with every directory packed into a jar of its own, order kept. */
    private static String jarClassPath(final Path directory) throws IOException {
        Files.createDirectories(directory);
        final List<String> entries = new ArrayList<>();
        int index = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                final Path jar = directory.resolve((index++) + "-" + path.getFileName() + ".jar");
                packInto(path, jar);
                entries.add(jar.toString());
            } else if (Files.isRegularFile(path)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void packInto(final Path directory, final Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(directory)) {
            for (final Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    private static List<String> fileNames(final Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }
}
