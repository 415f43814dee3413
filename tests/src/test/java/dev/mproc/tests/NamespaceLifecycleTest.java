package dev.mproc.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When namespace directories appear and disappear, observed from outside the process that owns
 * them: a private namespace goes away on close, on a normal exit, on SIGTERM, and after SIGKILL at
 * the next {@code createPrivate()} on the machine; a named one outlives its creator until
 * {@code unlink()}; an attached one is never deleted by the process that attached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class NamespaceLifecycleTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final int EXIT_SIGKILL = 128 + 9;
    private static final int EXIT_SIGTERM = 128 + 15;

    @Test
    void shouldDeletePrivateNamespaceWhenItsCreatorClosesIt() {
        try (ChildJvm child = ChildJvm.start(NamespaceChild.class, "private-close")) {
            final Path directory = Path.of(child.awaitLine("DIR", STARTUP));
            assertTrue(Files.isRegularFile(directory.resolve(NamespaceChild.DATA)), child.describe("made no region file"));

            child.send("CLOSE");
            child.awaitLine("CLOSED", PROMPT);
            // Still running: the directory went with close(), not with the exit.
            assertTrue(child.isAlive(), child.describe("exited early"));
            assertFalse(Files.exists(directory), child.describe("closed its namespace but " + directory + " remains"));

            child.send("EXIT");
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
        }
    }

    @Test
    void shouldDeletePrivateNamespaceWhenClosedInProcess() {
        final Namespace namespace = Namespace.createPrivate();
        try {
            final Path directory = namespace.directory();
            namespace.createRegion(NamespaceChild.DATA, TestRegions.KIND, TestRegions.VERSION, 64, r -> { }).close();
            assertTrue(namespace.isOwner());
            assertTrue(Files.isRegularFile(directory.resolve(NamespaceChild.DATA)));

            namespace.close();
            assertFalse(Files.exists(directory), directory + " remains after close");
            assertThrows(IllegalStateException.class,
                () -> namespace.createRegion("late", TestRegions.KIND, TestRegions.VERSION, 64, r -> { }));
        } finally {
            // Idempotent: only does something if an assertion failed before the close above.
            namespace.close();
        }
    }

    @Test
    void shouldDeletePrivateNamespaceOfAChildThatExitsWithoutClosing() {
        try (ChildJvm child = ChildJvm.start(NamespaceChild.class, "private-abandon")) {
            final Path directory = Path.of(child.awaitLine("DIR", STARTUP));
            assertTrue(Files.isRegularFile(directory.resolve(NamespaceChild.DATA)), child.describe("made no region file"));

            child.send("EXIT");
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
            assertFalse(Files.exists(directory), child.describe("exited but its shutdown hook left " + directory));
        }
    }

    @Test
    void shouldDeletePrivateNamespaceOfAChildStoppedWithSigterm() {
        try (ChildJvm child = ChildJvm.start(NamespaceChild.class, "private-abandon")) {
            final Path directory = Path.of(child.awaitLine("DIR", STARTUP));
            assertTrue(Files.isDirectory(directory), child.describe("made no directory"));

            child.terminate();
            assertEquals(EXIT_SIGTERM, child.waitFor(PROMPT), child.describe("did not end by SIGTERM"));
            assertFalse(Files.exists(directory), child.describe("was terminated but its shutdown hook left " + directory));
        }
    }

    @Test
    void shouldSweepAKilledChildsPrivateNamespaceAtTheNextCreate() {
        // A root of our own: any createPrivate() elsewhere on the machine would sweep the directory
        // we want to see survive the kill.
        try (IsolatedRoot root = IsolatedRoot.create();
             ChildJvm child = ChildJvm.start(NamespaceChild.class, "private-abandon")) {
            final Path directory = Path.of(child.awaitLine("DIR", STARTUP));
            assertTrue(directory.startsWith(root.directory()), child.describe("ignored -Dmproc.dir"));

            child.kill();
            assertEquals(EXIT_SIGKILL, child.waitFor(PROMPT), child.describe("did not end by SIGKILL"));
            // No shutdown hook ran: the directory outlives its creator.
            assertTrue(Files.isRegularFile(directory.resolve(NamespaceChild.DATA)), directory + " vanished with its killed creator");

            try (Namespace next = Namespace.createPrivate()) {
                assertFalse(Files.exists(directory), "createPrivate() did not sweep " + directory + " of dead pid " + child.pid());
                assertEquals(directory.getParent(), next.directory().getParent());
            }
        }
    }

    @Test
    void shouldKeepNamedNamespaceAfterItsCreatorExitsUntilUnlinked() {
        final String name = TestNames.unique("named");
        final long value = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Path directory = null;
        try (ChildJvm child = ChildJvm.start(NamespaceChild.class, "named-create", name, Long.toString(value))) {
            directory = Path.of(child.awaitLine("DIR", STARTUP));
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
            assertTrue(Files.isDirectory(directory), child.describe("exited and took " + directory + " with it"));

            try (Namespace namespace = Namespace.open(name);
                 MappedRegion region = namespace.attachRegion("value", TestRegions.KIND, TestRegions.VERSION)) {
                assertEquals(directory, namespace.directory());
                assertFalse(namespace.isOwner());
                assertEquals(value, region.getLongAcquire(0), "value written by the exited child");
            }
            assertTrue(Files.isDirectory(directory), "closing a named namespace deleted " + directory);

            Namespace.open(name).unlink();
            assertFalse(Files.exists(directory), "unlink() left " + directory);
        } finally {
            if (directory != null && Files.exists(directory)) {
                Namespace.open(name).unlink();
            }
        }
    }

    @Test
    void shouldDeleteNothingWhenAnAttachedNamespaceCloses() {
        try (Namespace namespace = Namespace.createPrivate();
             MappedRegion region = namespace.createRegion(NamespaceChild.DATA, TestRegions.KIND, TestRegions.VERSION, 64,
                 r -> r.putLong(0, NamespaceChild.WRITTEN));
             ChildJvm child = ChildJvm.start(NamespaceChild.class, "attach-write", namespace.directory().toString())) {
            assertEquals(Long.toString(NamespaceChild.WRITTEN), child.awaitLine("READ", STARTUP));
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));

            // The child closed its region and its attached namespace, then exited: nothing deleted.
            assertTrue(Files.isRegularFile(region.file()), child.describe("deleted " + region.file()));
            assertEquals(NamespaceChild.WRITTEN + 1, region.getLongAcquire(8), "value written back by the child");

            final Namespace attached = Namespace.attach(namespace.directory());
            assertFalse(attached.isOwner());
            attached.close();
            assertTrue(Files.isRegularFile(region.file()), "closing an attached namespace in-process deleted " + region.file());
        }
    }
}
