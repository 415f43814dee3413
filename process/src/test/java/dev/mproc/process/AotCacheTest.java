package dev.mproc.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which child command lines get a start-up cache, and under which name; no JVM is started. */
class AotCacheTest {

    @TempDir
    Path temp;

    private String previousDirectory;
    private Path jar;

    @BeforeEach
    void useATemporaryCacheDirectory() throws IOException {
        previousDirectory = System.getProperty(AotCache.DIRECTORY_PROPERTY);
        System.setProperty(AotCache.DIRECTORY_PROPERTY, temp.resolve("aot").toString());
        jar = Files.write(temp.resolve("app.jar"), new byte[] {1, 2, 3});
    }

    @AfterEach
    void restoreTheCacheDirectory() {
        if (previousDirectory == null) {
            System.clearProperty(AotCache.DIRECTORY_PROPERTY);
        } else {
            System.setProperty(AotCache.DIRECTORY_PROPERTY, previousDirectory);
        }
    }

    private List<String> command(final String... options) {
        final List<String> command = new java.util.ArrayList<>();
        command.add("java");
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", jar.toString(), "dev.mproc.process.ChildMain"));
        return command;
    }

    @Test
    void shouldNameACacheInTheCacheDirectoryForAClassPathOfJars() {
        final Path file = AotCache.fileFor(command("-Xmx64m"));
        assertNotNull(file, AotCache.unavailableReason(command("-Xmx64m")));
        assertEquals(temp.resolve("aot"), file.getParent());
        assertTrue(file.getFileName().toString().matches("child-[0-9a-f]{32}\\.aot"), file.toString());
        assertEquals(file, AotCache.fileFor(command("-Xmx64m")), "the same command line, the same cache");
        assertNotEquals(file, AotCache.fileFor(command("-Xmx128m")), "other options, another cache");
    }

    @Test
    void shouldNameAnotherCacheOnceAJarChanges() throws IOException {
        final Path before = AotCache.fileFor(command());
        // Within the same second as before: the JVM's own check would not see it.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1));
        assertNotEquals(before, AotCache.fileFor(command()));
    }

    @Test
    void shouldOfferNoCacheForADirectoryOnTheClassPath() throws IOException {
        final Path classes = Files.createDirectories(temp.resolve("classes"));
        final List<String> command = List.of("java", "-cp", jar + java.io.File.pathSeparator + classes, "Main");
        assertNull(AotCache.fileFor(command));
        final String reason = AotCache.unavailableReason(command);
        assertTrue(reason.contains(classes.toString()) && reason.contains("not a jar"), reason);
    }

    @Test
    void shouldOfferNoCacheWhenTheOptionsChooseClassDataSharing() {
        for (final String option : List.of("-Xshare:off", "-Xshare:on", "-XX:SharedArchiveFile=/tmp/app.jsa",
            "-XX:AOTCache=/tmp/app.aot", "-XX:AOTMode=off")) {
            assertNull(AotCache.fileFor(command(option)), option);
            assertTrue(AotCache.unavailableReason(command(option)).contains(option), option);
        }
    }

    @Test
    void shouldStartAChildWithABuiltCacheInPlaceOfTheSharingDefaultTheJvmWouldRefuseBesideIt() throws IOException {
        final List<String> command = command("-Xshare:auto", "-Xmx64m");
        final Path file = AotCache.fileFor(command);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {0});
        assertEquals(List.of("java", "-XX:AOTCache=" + file, "-Xlog:aot*=off", "-Xmx64m", "-cp", jar.toString(),
            "dev.mproc.process.ChildMain"), AotCache.apply(command));
    }

    @Test
    void shouldOfferNoCacheWhenTurnedOff() {
        System.setProperty(AotCache.ENABLED_PROPERTY, "false");
        try {
            assertEquals(command(), AotCache.apply(command()));
            assertTrue(AotCache.unavailableReason(command()).contains(AotCache.ENABLED_PROPERTY));
        } finally {
            System.clearProperty(AotCache.ENABLED_PROPERTY);
        }
    }

    @Test
    void shouldKeepItsOwnCacheOptionFromChildrenButAUsersOne() {
        final String own = "-XX:AOTCache=" + temp.resolve("aot").resolve("child-0123.aot");
        final String users = "-XX:AOTCache=/opt/app/app.aot";
        assertEquals(List.of("-Xmx64m", users), JvmCommand.filter(List.of(own, "-Xlog:aot*=off", "-Xmx64m", users)));
    }
}
