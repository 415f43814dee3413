package dev.mproc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ready markers a spare leaves when it is killed from outside are swept; live ones stay. */
class SpareMarkersTest {

    @TempDir
    Path directory;

    @Test
    @Timeout(30)
    void shouldRemoveOnlyTheMarkersOfProcessesThatAreGone() throws IOException, InterruptedException {
        // A pid that surely names no process: one that has just ended and been reaped.
        final java.lang.Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(20, TimeUnit.SECONDS), "'true' did not end");
        final Path stale = Files.createFile(SpareJvms.readyMarker(directory, ended.pid()));
        final Path live = Files.createFile(SpareJvms.readyMarker(directory, ProcessHandle.current().pid()));
        final Path foreign = Files.createFile(directory.resolve(".spare-notapid-ready"));
        final Path other = Files.createFile(directory.resolve("a-namespace"));

        assertEquals(1, SpareJvms.removeStaleMarkers(directory));

        assertFalse(Files.exists(stale), "the marker of the ended process " + ended.pid() + " is still there");
        assertTrue(Files.exists(live), "the marker of a live process was removed");
        assertTrue(Files.exists(foreign), "a file that only looks like a marker was removed");
        assertTrue(Files.exists(other), "a file that is not a marker was removed");
    }

    @Test
    void shouldIgnoreADirectoryThatDoesNotExist() {
        assertEquals(0, SpareJvms.removeStaleMarkers(directory.resolve("not-there")));
    }
}
