package dev.mproc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of region files that belong together: the objects of one program run (private) or
 * of a name that unrelated processes agree on (named).
 * <ul>
 *   <li>{@link #createPrivate()}: a new directory {@code <root>/mproc-<user>/p-<pid>-<start>-<random>},
 *   mode 0700, its files 0600. It is deleted by {@link #close()}, by a shutdown hook if the JVM
 *   exits without closing it, and otherwise by the next {@code createPrivate()} on the machine once
 *   its creator (pid plus start time, encoded in the directory name) is dead, as after SIGKILL.</li>
 *   <li>{@link #open(String)}: {@code <root>/mproc-<user>/n-<name>}, created if absent and shared
 *   by every process of the user that opens the same name; it lasts until {@link #unlink()}.</li>
 *   <li>{@link #attach(Path)}: joins an existing directory, as a child process does with its
 *   parent's namespace; closing an attached namespace never deletes anything.</li>
 * </ul>
 * Root: {@code -Dmproc.dir} if set, else {@code /dev/shm} where it is a writable directory (memory,
 * no disk writes), else {@code java.io.tmpdir}.
 */
public final class Namespace implements AutoCloseable {
    /** Names of namespaces and objects: portable file names, no path characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String PRIVATE_PREFIX = "p-";
    private static final String NAMED_PREFIX = "n-";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final Set<Namespace> OWNED_PRIVATE = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
    private static final AtomicLong UNIQUE = new AtomicLong();
    private static final java.util.List<Runnable> EXIT_ACTIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Path directory;
    private final String name;
    private final boolean isPrivate;
    private final boolean owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Namespace(final Path directory, final String name, final boolean isPrivate, final boolean owner) {
        this.directory = directory;
        this.name = name;
        this.isPrivate = isPrivate;
        this.owner = owner;
    }

    /**
     * @return the directory all namespaces of this user live in (created 0700 if absent)
     */
    public static Path userRoot() {
        final String configured = System.getProperty("mproc.dir");
        final Path root;
        if (configured != null && !configured.isBlank()) {
            root = Path.of(configured);
        } else {
            final Path shm = Path.of("/dev/shm");
            root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        }
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path userRoot = root.resolve("mproc-" + user);
        createOwnerOnlyDirectory(userRoot);
        if (Files.isSymbolicLink(userRoot)) {
            throw new IllegalStateException(userRoot + ": is a symbolic link; refusing to use it as the mproc root");
        }
        return userRoot;
    }

    /**
     * Creates a new private namespace, first sweeping private namespaces whose creator is dead.
     *
     * @return the namespace, owned by this process
     */
    public static Namespace createPrivate() {
        final Path userRoot = userRoot();
        sweepDeadPrivateNamespaces(userRoot);
        final ProcessIdentity me = ProcessIdentity.current();
        while (true) {
            final String dirName = PRIVATE_PREFIX + me.pid() + "-" + me.startTime() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            final Path directory = userRoot.resolve(dirName);
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (final FileAlreadyExistsException e) {
                continue;
            } catch (final NoSuchFileException e) {
                // Another process removed the empty user root meanwhile: make it again.
                createOwnerOnlyDirectory(userRoot);
                continue;
            } catch (final IOException e) {
                throw new UncheckedIOException(directory + ": cannot create private namespace: " + e.getMessage(), e);
            }
            final Namespace namespace = new Namespace(directory, dirName, true, true);
            installShutdownHook();
            OWNED_PRIVATE.add(namespace);
            return namespace;
        }
    }

    /**
     * Creates or joins the named namespace.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128
     * @return the namespace; closing it leaves it in place, {@link #unlink()} removes it
     */
    public static Namespace open(final String name) {
        checkName("namespace", name);
        Path directory = userRoot().resolve(NAMED_PREFIX + name);
        try {
            createOwnerOnlyDirectory(directory);
        } catch (final UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
            // The empty user root was removed by another process meanwhile: make it again.
            directory = userRoot().resolve(NAMED_PREFIX + name);
            createOwnerOnlyDirectory(directory);
        }
        sweepDeadTempFiles(directory);
        return new Namespace(directory, name, false, false);
    }

    /**
     * Joins an existing namespace directory without taking ownership: closing it deletes nothing.
     *
     * @param directory the namespace's directory
     * @return the namespace
     * @throws IllegalArgumentException if there is no such directory
     */
    public static Namespace attach(final Path directory) {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(directory + ": no such namespace directory");
        }
        final String dirName = directory.getFileName().toString();
        final boolean isPrivate = dirName.startsWith(PRIVATE_PREFIX);
        final String name = dirName.startsWith(NAMED_PREFIX) ? dirName.substring(NAMED_PREFIX.length()) : dirName;
        return new Namespace(directory, name, isPrivate, false);
    }

    /**
     * Deletes every private namespace under the user root whose creator is no longer alive.
     *
     * @return how many were deleted
     */
    public static int sweepDeadPrivateNamespaces() {
        return sweepDeadPrivateNamespaces(userRoot());
    }

    private static int sweepDeadPrivateNamespaces(final Path userRoot) {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(userRoot, PRIVATE_PREFIX + "*")) {
            for (final Path entry : entries) {
                final ProcessIdentity creator = identityIn(entry.getFileName().toString().substring(PRIVATE_PREFIX.length()));
                if (creator != null && !creator.isAlive()) {
                    deleteRecursively(entry);
                    swept++;
                }
            }
        } catch (final IOException e) {
            // Sweeping is best effort; a later create tries again.
        }
        return swept;
    }

    private static void sweepDeadTempFiles(final Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
            for (final Path entry : entries) {
                final ProcessIdentity creator = identityIn(entry.getFileName().toString().substring(TEMP_PREFIX.length()));
                if (creator != null && !creator.isAlive()) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (final IOException e) {
            // Best effort, as above.
        }
    }

    /** Parses "{pid}-{start}-..." as written by this class and by {@link MappedRegion#create}. */
    private static ProcessIdentity identityIn(final String text) {
        final String[] parts = text.split("-", 3);
        if (parts.length < 2) {
            return null;
        }
        try {
            final long pid = Long.parseLong(parts[0]);
            return pid > 0 ? new ProcessIdentity(pid, Long.parseLong(parts[1])) : null;
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    /**
     * @return the namespace's directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * @return the name given to {@link #open}, or the directory name of a private namespace
     */
    public String name() {
        return name;
    }

    /**
     * @return true for a private namespace
     */
    public boolean isPrivate() {
        return isPrivate;
    }

    /**
     * @return true if this process created the namespace and closing it deletes it
     */
    public boolean isOwner() {
        return owner;
    }

    /**
     * @param objectName a region name
     * @return the path of that region's file
     */
    public Path pathOf(final String objectName) {
        checkName("object", objectName);
        return directory.resolve(objectName);
    }

    /**
     * A name no other process or thread will generate in this namespace: {@code prefix-pid-counter}.
     *
     * @param prefix what kind of object, e.g. "lock"
     * @return a fresh object name
     */
    public String uniqueName(final String prefix) {
        return prefix + "-" + ProcessIdentity.current().pid() + "-" + ProcessIdentity.current().startTime()
            + "-" + UNIQUE.incrementAndGet();
    }

    /**
     * Creates a region, failing if the name is taken.
     *
     * @param objectName    the region's name in this namespace
     * @param kind          what it holds
     * @param layoutVersion version of the kind's body layout
     * @param bodyLength    bytes after the header
     * @param initialiser   writes the initial body
     * @return the created region
     */
    public MappedRegion createRegion(
        final String objectName,
        final RegionKind kind,
        final int layoutVersion,
        final long bodyLength,
        final Consumer<MappedRegion> initialiser) {
        checkOpen();
        return MappedRegion.create(pathOf(objectName), kind, layoutVersion, bodyLength, initialiser);
    }

    /**
     * Attaches to an existing region of this namespace.
     *
     * @param objectName       the region's name
     * @param kind             the kind expected
     * @param maxLayoutVersion the newest body layout the caller understands
     * @return the attached region
     */
    public MappedRegion attachRegion(final String objectName, final RegionKind kind, final int maxLayoutVersion) {
        checkOpen();
        return MappedRegion.attach(pathOf(objectName), kind, maxLayoutVersion);
    }

    /**
     * Attaches to the region of that name, or creates it if there is none; when two processes race,
     * one creates and the other attaches to what it created.
     *
     * @param objectName    the region's name
     * @param kind          what it holds
     * @param layoutVersion version of the kind's body layout
     * @param bodyLength    bytes after the header, if created
     * @param initialiser   writes the initial body of a region being created. When processes
     *                      race, each racer that gets as far as creating initialises its own
     *                      unpublished file and only one file is published under the name, so
     *                      the initialiser may run in racers that then attach to the winner's
     *                      region: it must only write the region it is given
     * @return the region
     */
    public MappedRegion createOrAttachRegion(
        final String objectName,
        final RegionKind kind,
        final int layoutVersion,
        final long bodyLength,
        final Consumer<MappedRegion> initialiser) {
        checkOpen();
        final Path file = pathOf(objectName);
        while (true) {
            try {
                return MappedRegion.attach(file, kind, layoutVersion, Duration.ofMillis(
                    MappedRegion.DEFAULT_READY_TIMEOUT.toMillis()));
            } catch (final RegionNotFoundException e) {
                try {
                    return MappedRegion.create(file, kind, layoutVersion, bodyLength, initialiser);
                } catch (final RegionExistsException raced) {
                    // Another process created it between our attach and create: attach to theirs.
                }
            }
        }
    }

    /**
     * Destroys a region: marks it closed (so every process using it can notice) and deletes its
     * file. Processes that have it mapped keep their mapping until they close it.
     *
     * @param objectName the region's name
     * @return true if a file was deleted
     */
    public boolean unlinkRegion(final String objectName) {
        final Path file = pathOf(objectName);
        markClosed(file);
        try {
            return Files.deleteIfExists(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot delete: " + e.getMessage(), e);
        }
    }

    /**
     * @return the names of the regions in this namespace (temporary files excluded)
     */
    public Set<String> regionNames() {
        final Set<String> names = new java.util.TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (final Path entry : entries) {
                final String fileName = entry.getFileName().toString();
                if (!fileName.startsWith(".")) {
                    names.add(fileName);
                }
            }
        } catch (final NoSuchFileException e) {
            return names;
        } catch (final IOException e) {
            throw new UncheckedIOException(directory + ": cannot list: " + e.getMessage(), e);
        }
        return names;
    }

    /**
     * Removes the namespace and every object in it, for every process: each region is marked
     * closed first, so that processes still holding one can notice.
     */
    public void unlink() {
        closed.set(true);
        OWNED_PRIVATE.remove(this);
        for (final String regionName : regionNames()) {
            markClosed(directory.resolve(regionName));
        }
        deleteRecursively(directory);
        removeIfEmpty(directory.getParent());
    }

    /**
     * Closes this process's use of the namespace. A private namespace owned by this process is
     * deleted with everything in it; a named or attached one is left in place. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (isPrivate && owner) {
            OWNED_PRIVATE.remove(this);
            deleteRecursively(directory);
            removeIfEmpty(directory.getParent());
        }
    }

    /** Leaves no empty {@code mproc-<user>} directory behind; creators recreate it when needed. */
    private static void removeIfEmpty(final Path userRoot) {
        try {
            Files.deleteIfExists(userRoot);
        } catch (final IOException e) {
            // Not empty (other namespaces live there) or not ours to remove: leave it.
        }
    }

    /**
     * @return true once closed or unlinked
     */
    public boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(directory + ": namespace is closed");
        }
    }

    private static void markClosed(final Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            if (channel.size() < RegionHeaderLayout.HEADER_LENGTH) {
                return;
            }
            final java.nio.ByteBuffer state = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
            final java.nio.ByteBuffer magic = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            channel.read(magic, RegionHeaderLayout.MAGIC_OFFSET);
            if (magic.getLong(0) != RegionHeaderLayout.MAGIC) {
                return; // not ours: delete it without writing into it
            }
            state.putInt(0, RegionHeaderLayout.STATE_CLOSED);
            // A positional write goes through the page cache that every mapping shares.
            channel.write(state, RegionHeaderLayout.STATE_OFFSET);
        } catch (final IOException e) {
            // Deleting follows regardless; the mark is a courtesy to processes still attached.
        }
    }

    static void checkName(final String what, final String value) {
        Objects.requireNonNull(value, what + " name");
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + value
                + "\": use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void createOwnerOnlyDirectory(final Path directory) {
        try {
            // Another process may remove an empty directory between our create finding it and our
            // check of it (see removeIfEmpty): then create it again.
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    return;
                } catch (final FileAlreadyExistsException e) {
                    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                        return;
                    }
                    if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) || attempt >= 100) {
                        throw new IllegalStateException(directory + ": exists but is not a directory");
                    }
                }
            }
        } catch (final UnsupportedOperationException e) {
            try {
                Files.createDirectories(directory);
            } catch (final IOException io) {
                throw new UncheckedIOException(directory + ": cannot create: " + io.getMessage(), io);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(directory + ": cannot create: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(final Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (final IOException e) {
                    // Left for the next sweep.
                }
            });
        } catch (final NoSuchFileException e) {
            // Already gone.
        } catch (final IOException | UncheckedIOException e) {
            // Left for the next sweep.
        }
    }

    /**
     * Registers an action for this JVM's exit, run before the private namespaces this process owns
     * are deleted: the process layer joins or terminates its child processes there, since they may
     * still be using those files. Actions run in registration order, each at most once, in the
     * same shutdown hook as the deletion (the JVM runs separate hooks concurrently, in no order).
     *
     * @param action what to do at exit; exceptions it throws are printed and do not stop the cleanup
     */
    public static void beforeExitCleanup(final Runnable action) {
        EXIT_ACTIONS.add(Objects.requireNonNull(action, "action"));
        installShutdownHook();
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // First what other layers registered (children to join, which may still be using
                // these files), then the deletion. One hook, because the JVM runs hooks in no
                // particular order and concurrently.
                for (final Runnable action : EXIT_ACTIONS) {
                    try {
                        action.run();
                    } catch (final RuntimeException | Error e) {
                        e.printStackTrace();
                    }
                }
                final Namespace[] owned;
                synchronized (OWNED_PRIVATE) {
                    owned = OWNED_PRIVATE.toArray(new Namespace[0]);
                }
                for (final Namespace namespace : owned) {
                    namespace.close();
                }
            }, "mproc-namespace-cleanup"));
        }
    }

    @Override
    public String toString() {
        return (isPrivate ? "private" : "named") + " namespace " + directory;
    }
}
