package dev.mproc.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespaces decide who may delete what: a private namespace belongs to its creator and goes away
 * with it (even after a crash, by sweeping); a named one outlives every process until unlinked;
 * an attached one is never deleted by the attacher. Everything a test creates is removed in
 * {@link #cleanUp()}, even when the test fails.
 */
@Timeout(120)
class NamespaceTest {
    private static final RegionKind KIND = RegionKind.of("TNSP");

    private final List<Namespace> privates = new ArrayList<>();
    private final List<Namespace> named = new ArrayList<>();
    private final List<MappedRegion> regions = new ArrayList<>();
    private final List<Path> strayDirectories = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        regions.forEach(MappedRegion::close);
        // Strays first, so that the last namespace to go can remove the then-empty user root.
        for (final Path directory : strayDirectories) {
            deleteTree(directory);
        }
        privates.forEach(Namespace::close);
        named.forEach(Namespace::unlink);
        for (final Namespace namespace : privates) {
            assertFalse(Files.exists(namespace.directory()), "left behind: " + namespace.directory());
        }
        for (final Namespace namespace : named) {
            assertFalse(Files.exists(namespace.directory()), "left behind: " + namespace.directory());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Private namespaces
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldCreateAPrivateOwnerOnlyDirectoryNamedAfterItsCreator() throws IOException {
        final Namespace namespace = newPrivate();
        final Path directory = namespace.directory();
        final ProcessIdentity me = ProcessIdentity.current();

        assertTrue(Files.isDirectory(directory));
        assertEquals(Namespace.userRoot(), directory.getParent());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(directory));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(directory.getParent()));
        final String dirName = directory.getFileName().toString();
        assertTrue(dirName.matches("p-" + me.pid() + "-" + me.startTime() + "-[0-9a-f]+"), dirName);
        assertEquals(dirName, namespace.name());
        assertTrue(namespace.isPrivate());
        assertTrue(namespace.isOwner());
        assertFalse(namespace.isClosed());
    }

    @Test
    void shouldGiveEachPrivateNamespaceItsOwnDirectory() {
        final Namespace first = newPrivate();
        final Namespace second = newPrivate();
        assertFalse(first.directory().equals(second.directory()));
    }

    @Test
    void shouldDeleteAPrivateNamespaceWithItsRegionsOnClose() {
        final Namespace namespace = newPrivate();
        final MappedRegion region = track(namespace.createRegion("doomed", KIND, 1, 64, r -> { }));
        final Path file = region.file();
        assertTrue(Files.exists(file));
        assertEquals(Set.of("doomed"), namespace.regionNames());

        namespace.close();

        assertTrue(namespace.isClosed());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(namespace.directory()));
        assertDoesNotThrow(namespace::close, "a second close must be harmless");
        // The mapping outlives the file in this process: no crash on access.
        region.putLongVolatile(0, 1);
        assertEquals(1, region.getLongVolatile(0));
    }

    @Test
    void shouldRefuseToCreateRegionsOnceClosed() {
        final Namespace namespace = newPrivate();
        namespace.close();

        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> namespace.createRegion("late", KIND, 1, 64, r -> { }));
        assertTrue(e.getMessage().contains(namespace.directory().toString()) && e.getMessage().contains("closed"),
            e.getMessage());
        assertThrows(IllegalStateException.class, () -> namespace.attachRegion("late", KIND, 1));
        assertThrows(IllegalStateException.class, () -> namespace.createOrAttachRegion("late", KIND, 1, 64, r -> { }));
    }

    // ---------------------------------------------------------------------------------------------
    // Named namespaces
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldShareANamedNamespaceBetweenOpeners() {
        final String name = uniqueNamespaceName();
        final Namespace first = newNamed(name);
        final Namespace second = newNamed(name);

        assertEquals(first.directory(), second.directory());
        assertEquals(Namespace.userRoot().resolve("n-" + name), first.directory());
        assertEquals(name, first.name());
        assertFalse(first.isPrivate());
        assertFalse(first.isOwner());

        final MappedRegion created = track(first.createRegion("shared", KIND, 1, 64, r -> r.putLong(0, 4242)));
        final MappedRegion attached = track(second.attachRegion("shared", KIND, 1));
        assertEquals(4242, attached.getLongAcquire(0));
        attached.putLongVolatile(8, 17);
        assertEquals(17, created.getLongVolatile(8));
        assertEquals(Set.of("shared"), second.regionNames());
    }

    @Test
    void shouldKeepANamedNamespaceOnClose() {
        final String name = uniqueNamespaceName();
        final Namespace opener = newNamed(name);
        track(opener.createRegion("kept", KIND, 1, 64, r -> r.putInt(0, 5))).close();

        opener.close();

        assertTrue(opener.isClosed());
        assertTrue(Files.isDirectory(opener.directory()));
        final Namespace reopened = newNamed(name);
        try (MappedRegion region = reopened.attachRegion("kept", KIND, 1)) {
            assertEquals(5, region.getInt(0));
        }
    }

    @Test
    void shouldRemoveANamedNamespaceOnUnlinkAndMarkItsRegionsClosed() {
        final String name = uniqueNamespaceName();
        final Namespace first = newNamed(name);
        final Namespace second = newNamed(name);
        final MappedRegion created = track(first.createRegion("victim", KIND, 1, 64, r -> { }));
        final MappedRegion attached = track(second.attachRegion("victim", KIND, 1));
        assertTrue(attached.isReady());

        first.unlink();

        assertFalse(Files.exists(first.directory()));
        assertTrue(first.isClosed());
        // Holders learn through their own mappings that the object was destroyed.
        assertEquals(RegionHeaderLayout.STATE_CLOSED, attached.state());
        assertFalse(attached.isReady());
        assertEquals(RegionHeaderLayout.STATE_CLOSED, created.state());
        assertThrows(IllegalStateException.class, () -> first.createRegion("again", KIND, 1, 64, r -> { }));
    }

    @Test
    void shouldUnlinkOneRegionMarkingItClosed() {
        final Namespace namespace = newPrivate();
        final MappedRegion region = track(namespace.createRegion("one", KIND, 1, 64, r -> { }));
        track(namespace.createRegion("other", KIND, 1, 64, r -> { }));

        assertTrue(namespace.unlinkRegion("one"));

        assertFalse(region.isReady());
        assertEquals(Set.of("other"), namespace.regionNames());
        assertFalse(namespace.unlinkRegion("one"), "nothing left to delete");
        assertThrows(RegionNotFoundException.class, () -> namespace.attachRegion("one", KIND, 1));
    }

    // ---------------------------------------------------------------------------------------------
    // Attached namespaces
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldNeverDeleteWhenAnAttachedNamespaceCloses() {
        final Namespace owner = newPrivate();
        track(owner.createRegion("parent-object", KIND, 1, 64, r -> r.putInt(0, 9)));

        final Namespace attached = Namespace.attach(owner.directory());
        assertEquals(owner.directory(), attached.directory());
        assertTrue(attached.isPrivate());
        assertFalse(attached.isOwner());
        try (MappedRegion region = attached.attachRegion("parent-object", KIND, 1)) {
            assertEquals(9, region.getInt(0));
        }
        attached.close();

        assertTrue(attached.isClosed());
        assertTrue(Files.isDirectory(owner.directory()));
        assertEquals(Set.of("parent-object"), owner.regionNames());
        try (MappedRegion region = owner.attachRegion("parent-object", KIND, 1)) {
            assertEquals(9, region.getInt(0));
        }
    }

    @Test
    void shouldAttachANamedNamespaceByDirectoryUnderItsName() {
        final String name = uniqueNamespaceName();
        final Namespace opened = newNamed(name);
        final Namespace attached = Namespace.attach(opened.directory());
        assertEquals(name, attached.name());
        assertFalse(attached.isPrivate());
        attached.close();
        assertTrue(Files.isDirectory(opened.directory()));
    }

    @Test
    void shouldRefuseToAttachAMissingDirectory() {
        final Path missing = Namespace.userRoot().resolve("n-" + uniqueNamespaceName());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Namespace.attach(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    // ---------------------------------------------------------------------------------------------
    // Names
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldRejectInvalidNamesNamingTheValue() {
        final List<String> invalid = List.of("", "../x", "a/b", ".hidden", "x".repeat(200), "-dash", "sp ace", "..");
        final Namespace namespace = newPrivate();
        for (final String name : invalid) {
            final IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> Namespace.open(name), name);
            assertTrue(open.getMessage().contains("\"" + name + "\""), open.getMessage());
            assertTrue(open.getMessage().contains("namespace name"), open.getMessage());

            final IllegalArgumentException object = assertThrows(IllegalArgumentException.class,
                () -> namespace.createRegion(name, KIND, 1, 64, r -> { }), name);
            assertTrue(object.getMessage().contains("\"" + name + "\""), object.getMessage());
            assertTrue(object.getMessage().contains("object name"), object.getMessage());
        }
        final NullPointerException nullName = assertThrows(NullPointerException.class, () -> Namespace.open(null));
        assertTrue(nullName.getMessage().contains("namespace name"), nullName.getMessage());
        final NullPointerException nullObject = assertThrows(NullPointerException.class, () -> namespace.pathOf(null));
        assertTrue(nullObject.getMessage().contains("object name"), nullObject.getMessage());

        assertEquals(Set.of(), namespace.regionNames());
    }

    @Test
    void shouldAcceptTheLongestValidName() {
        final Namespace namespace = newPrivate();
        final String longest = "a" + "b".repeat(127);
        track(namespace.createRegion(longest, KIND, 1, 8, r -> { }));
        assertEquals(Set.of(longest), namespace.regionNames());
        assertThrows(IllegalArgumentException.class, () -> namespace.pathOf(longest + "c"));
    }

    @Test
    void shouldNeverRepeatAUniqueName() throws Exception {
        final Namespace namespace = newPrivate();
        final int threads = 4;
        final int perThread = 10_000;
        final Set<String> names = ConcurrentHashMap.newKeySet();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        final String name = namespace.uniqueName("lock");
                        if (!names.add(name)) {
                            throw new AssertionError("repeated: " + name);
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> future : done) {
                getOrFail(future);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, names.size());
        for (final String name : names) {
            // Every generated name must be usable as an object name.
            assertTrue(name.startsWith("lock-"), name);
        }
        assertDoesNotThrow(() -> namespace.pathOf(names.iterator().next()));
    }

    // ---------------------------------------------------------------------------------------------
    // Create-or-attach race
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldPublishOneCreatorsRegionToAllRacingThreads() throws Exception {
        final Namespace namespace = newPrivate();
        final int threads = 8;
        final AtomicInteger initialiserCalls = new AtomicInteger();
        // Each initialiser call stamps the body with its own number: the stamp all racers see
        // tells which single creation was published.
        final List<MappedRegion> results = race(namespace, "contested", threads,
            r -> r.putLong(0, initialiserCalls.incrementAndGet()));

        final Path file = namespace.pathOf("contested");
        final long stamp = results.get(0).getLongAcquire(0);
        assertTrue(stamp >= 1 && stamp <= initialiserCalls.get(), "stamp " + stamp);
        for (final MappedRegion region : results) {
            assertEquals(file, region.file());
            assertTrue(region.isReady());
            assertEquals(stamp, region.getLongAcquire(0), "every racer sees the one published initial body");
            region.getAndAddLong(8, 1);
        }
        // One counter incremented through eight mappings: they all map the same file.
        assertEquals(threads, results.get(0).getLongVolatile(8));
        try (Stream<Path> entries = Files.list(namespace.directory())) {
            assertEquals(List.of(file), entries.toList(), "no temp files left by the losers");
        }
    }

    private List<MappedRegion> race(
        final Namespace namespace,
        final String name,
        final int threads,
        final Consumer<MappedRegion> initialiser) throws Exception {
        final CyclicBarrier start = new CyclicBarrier(threads);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final List<MappedRegion> results = new ArrayList<>();
        try {
            final List<Future<MappedRegion>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return namespace.createOrAttachRegion(name, KIND, 1, 64, initialiser);
                }));
            }
            for (final Future<MappedRegion> future : futures) {
                results.add(getOrFail(future));
            }
        } finally {
            pool.shutdownNow();
            regions.addAll(results);
        }
        return results;
    }

    // ---------------------------------------------------------------------------------------------
    // Sweeping namespaces of dead creators
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldSweepPrivateNamespacesOfDeadCreatorsOnly() throws Exception {
        final Namespace live = newPrivate();
        final ProcessIdentity me = ProcessIdentity.current();
        final Path root = Namespace.userRoot();

        final Process child = new ProcessBuilder("true").start();
        final long deadPid;
        try {
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not finish");
            deadPid = child.pid();
        } finally {
            child.destroyForcibly();
        }
        // A finished child, and this very pid with another start time (a recycled pid).
        final Path deadChild = fakePrivateDirectory(root, "p-" + deadPid + "-" + 4_321 + "-x");
        final Path recycled = fakePrivateDirectory(root, "p-" + me.pid() + "-" + (me.startTime() + 1) + "-x");
        final Path liveFake = fakePrivateDirectory(root, "p-" + me.pid() + "-" + me.startTime() + "-x");
        final Path unparsable = fakePrivateDirectory(root, "p-notapid-x");

        Namespace.sweepDeadPrivateNamespaces();

        assertFalse(Files.exists(deadChild), "namespace of a finished process survived");
        assertFalse(Files.exists(recycled), "namespace of a recycled pid survived");
        assertTrue(Files.isDirectory(liveFake), "namespace of a live process was swept");
        assertTrue(Files.exists(liveFake.resolve("region")));
        assertTrue(Files.isDirectory(live.directory()), "this process's own namespace was swept");
        assertTrue(Files.isDirectory(unparsable), "a directory not named by a creator must be left alone");
    }

    private Path fakePrivateDirectory(final Path root, final String name) throws IOException {
        final Path directory = root.resolve(name);
        strayDirectories.add(directory);
        Files.createDirectory(directory);
        Files.write(directory.resolve("region"), new byte[16]);
        return directory;
    }

    // ---------------------------------------------------------------------------------------------

    private Namespace newPrivate() {
        final Namespace namespace = Namespace.createPrivate();
        privates.add(namespace);
        return namespace;
    }

    private Namespace newNamed(final String name) {
        final Namespace namespace = Namespace.open(name);
        named.add(namespace);
        return namespace;
    }

    private MappedRegion track(final MappedRegion region) {
        regions.add(region);
        return region;
    }

    private static String uniqueNamespaceName() {
        return "nstest-" + ProcessIdentity.current().pid() + "-" + Long.toHexString(System.nanoTime());
    }

    private static <T> T getOrFail(final Future<T> future) throws Exception {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    private static void deleteTree(final Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
