package dev.mproc.tests;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test (or a test class, for what its {@code @BeforeAll}/{@code @AfterAll} made) that
 * leaves behind anything it created under the mproc root, or a child JVM still running; removes
 * what it finds, so that one failing test does not litter {@code /dev/shm} or fail the next one.
 * <p>
 * What counts as "created by these tests": other builds share the same root at the same time, so
 * a plain before/after listing would blame us for their namespaces. An entry is ours when its name
 * says so: a private namespace {@code p-<pid>-...} whose pid is this JVM or a child it launched
 * ({@link ChildJvm#launchedPids()}), a named namespace {@code n-<run prefix>...}, or an isolated
 * root {@code <run prefix>...} next to the user root ({@link TestNames#RUN_PREFIX}). Ours that
 * existed before the test are not counted against it.
 * <p>
 * An empty user root left behind is tidied but not a failure: core removes it when it closes the
 * last namespace, but another build may be creating one in it at any moment.
 */
public final class NoLeftoversExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NoLeftoversExtension.class);
    private static final String PRIVATE_PREFIX = "p-";
    private static final String NAMED_PREFIX = "n-";

    @Override
    public void beforeAll(final ExtensionContext context) {
        context.getStore(STORE).put("class", new Snapshot(Files.exists(userRoot()), ours()));
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        check(context.getStore(STORE).get("class", Snapshot.class), "test class " + context.getDisplayName());
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        context.getStore(STORE).put("test", new Snapshot(Files.exists(userRoot()), ours()));
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        final List<String> running = ChildJvm.closeAllOpen();
        final Snapshot before = context.getStore(STORE).get("test", Snapshot.class);
        final String leaks = leaksSince(before);
        if (!running.isEmpty() || !leaks.isEmpty()) {
            fail("test " + context.getDisplayName() + " left behind:\n" + String.join("\n", running)
                + (leaks.isEmpty() ? "" : "\n" + leaks));
        }
    }

    private static void check(final Snapshot before, final String who) {
        final String leaks = leaksSince(before);
        if (!leaks.isEmpty()) {
            fail(who + " left behind:\n" + leaks);
        }
    }

    /** Lists, then deletes, what is ours now and was not before; tidies an empty user root. */
    private static String leaksSince(final Snapshot before) {
        final Set<Path> now = ours();
        now.removeAll(before.ours());
        final List<String> report = new ArrayList<>();
        for (final Path leak : new TreeSet<>(now)) {
            report.add("  " + leak + describeContents(leak));
            deleteRecursively(leak);
        }
        if (!before.userRootExisted()) {
            try {
                Files.deleteIfExists(userRoot());
            } catch (final DirectoryNotEmptyException e) {
                // Someone else's namespaces live there now: theirs to remove.
            } catch (final IOException e) {
                // Tidying only; nothing to report.
            }
        }
        return String.join("\n", report);
    }

    /**
     * Where core keeps this user's namespaces, computed as {@code Namespace.userRoot()} does but
     * without creating it: looking must not change what is there.
     * {@code NoLeftoversTest} checks the two agree.
     *
     * @return the user root path
     */
    public static Path userRoot() {
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return mprocBase().resolve("mproc-" + user);
    }

    /**
     * @return the directory the user root lives in ({@code -Dmproc.dir}, {@code /dev/shm} or tmpdir)
     */
    public static Path mprocBase() {
        final String configured = System.getProperty("mproc.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * @return the entries under the mproc root that this test JVM or its children made
     */
    public static Set<Path> ours() {
        final Set<Path> found = new HashSet<>();
        final Set<Long> pids = new HashSet<>(ChildJvm.launchedPids());
        pids.add(ProcessHandle.current().pid());
        for (final Path entry : list(userRoot())) {
            final String name = entry.getFileName().toString();
            if (name.startsWith(NAMED_PREFIX + TestNames.RUN_PREFIX)
                || name.startsWith(PRIVATE_PREFIX) && pids.contains(pidIn(name))) {
                found.add(entry);
            }
        }
        for (final Path entry : list(mprocBase())) {
            if (entry.getFileName().toString().startsWith(TestNames.RUN_PREFIX)) {
                found.add(entry);
            }
        }
        return found;
    }

    private static long pidIn(final String privateDirName) {
        final String rest = privateDirName.substring(PRIVATE_PREFIX.length());
        final int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private static List<Path> list(final Path directory) {
        final List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        } catch (final NoSuchFileException e) {
            return entries;
        } catch (final IOException e) {
            throw new IllegalStateException(directory + ": cannot list: " + e, e);
        }
        return entries;
    }

    private static String describeContents(final Path leak) {
        if (!Files.isDirectory(leak, LinkOption.NOFOLLOW_LINKS)) {
            return "";
        }
        try (Stream<Path> walk = Files.walk(leak)) {
            final List<String> names = walk.filter(p -> !p.equals(leak)).map(p -> leak.relativize(p).toString()).sorted().toList();
            return names.isEmpty() ? " (empty)" : " containing " + names;
        } catch (final IOException e) {
            return " (contents unreadable: " + e + ")";
        }
    }

    /**
     * Deletes a file or directory tree, best effort (a concurrent sweep may remove parts first).
     *
     * @param path what to delete
     */
    public static void deleteRecursively(final Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (final NoSuchFileException e) {
            // Already gone.
        } catch (final IOException e) {
            throw new IllegalStateException(path + ": cannot delete: " + e, e);
        }
    }

    private record Snapshot(boolean userRootExisted, Set<Path> ours) {
    }
}
