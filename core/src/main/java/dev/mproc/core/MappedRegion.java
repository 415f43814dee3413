package dev.mproc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static dev.mproc.core.RegionHeaderLayout.CREATOR_PID_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.CREATOR_START_TIME_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.FORMAT_VERSION;
import static dev.mproc.core.RegionHeaderLayout.FORMAT_VERSION_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.HEADER_LENGTH;
import static dev.mproc.core.RegionHeaderLayout.HEADER_LENGTH_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.KIND_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.LAYOUT_VERSION_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.MAGIC;
import static dev.mproc.core.RegionHeaderLayout.MAGIC_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.STATE_CLOSED;
import static dev.mproc.core.RegionHeaderLayout.STATE_INITIALISING;
import static dev.mproc.core.RegionHeaderLayout.STATE_OFFSET;
import static dev.mproc.core.RegionHeaderLayout.STATE_READY;
import static dev.mproc.core.RegionHeaderLayout.TOTAL_LENGTH_OFFSET;

/**
 * A memory-mapped file holding one shared object: a {@link RegionHeaderLayout header}, then a body
 * whose layout belongs to the object's kind.
 * <p>
 * {@link #create} writes a temporary file, reserves its storage, maps it, writes the header, lets
 * the caller initialise the body, publishes {@code READY} with a release store and only then links
 * the file under its name (atomically, failing if the name is taken). {@link #attach} opens an
 * existing file and checks everything before trusting it: magic, format version, kind, lengths,
 * layout version, and waits (bounded) for {@code READY}. Each failed check throws its own
 * {@link RegionException} subclass naming the file and the mismatch.
 * <p>
 * The accessors read and write the <em>body</em> at byte offsets from its start, in native byte
 * order, with the access mode in the name: plain, opaque, acquire/release, volatile, CAS and
 * get-and-add. Offsets are bounds-checked and must be aligned to the value's size, otherwise an
 * {@link IndexOutOfBoundsException} or {@link IllegalArgumentException} is thrown; nothing can
 * touch memory outside the mapping.
 * <p>
 * {@link #close()} unmaps the file in this process. A region that is never closed is unmapped
 * when it becomes unreachable. Closing does not delete the file: that is the namespace's job.
 */
public final class MappedRegion implements AutoCloseable {
    /** How long {@link #attach} waits for a file to become ready, unless told otherwise. */
    public static final Duration DEFAULT_READY_TIMEOUT =
        Duration.ofMillis(Long.getLong("mproc.attachTimeoutMillis", 2_000L));

    private static final Cleaner CLEANER = Cleaner.create();

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Path file;
    private final RegionKind kind;
    private final int layoutVersion;
    private final ProcessIdentity creator;
    private final Arena arena;
    private final MemorySegment whole;
    private final MemorySegment body;
    private final Cleaner.Cleanable cleanable;

    private MappedRegion(final Path file, final Arena arena, final MemorySegment whole) {
        this.file = file;
        this.arena = arena;
        this.whole = whole;
        this.body = whole.asSlice(HEADER_LENGTH);
        this.kind = RegionKind.ofCode(whole.get(ValueLayout.JAVA_INT, KIND_OFFSET));
        this.layoutVersion = whole.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET);
        this.creator = new ProcessIdentity(
            Math.max(1, whole.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET)),
            whole.get(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET));
        // The cleaner action must not reference this object, or it would never become unreachable.
        this.cleanable = CLEANER.register(this, arena::close);
    }

    /**
     * Creates a region file, failing if one of that name exists.
     *
     * @param file          where the file will live
     * @param kind          what it holds
     * @param layoutVersion the version of the kind's body layout
     * @param bodyLength    bytes after the header
     * @param initialiser   writes the initial body (may be a no-op: the body starts zeroed); it
     *                      runs before the file has its name, so it must only write the region
     *                      (a create that loses a race to the name has run it for nothing)
     * @return the created region, mapped
     * @throws RegionExistsException when a file of that name exists
     * @throws UncheckedIOException  when the file cannot be written (no space, no permission)
     */
    public static MappedRegion create(
        final Path file,
        final RegionKind kind,
        final int layoutVersion,
        final long bodyLength,
        final Consumer<MappedRegion> initialiser) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initialiser, "initialiser");
        if (bodyLength < 0 || bodyLength > Long.MAX_VALUE - HEADER_LENGTH) {
            throw new IllegalArgumentException(file + ": body length out of range: bodyLength=" + bodyLength);
        }
        final long totalLength = HEADER_LENGTH + bodyLength;
        final ProcessIdentity me = ProcessIdentity.current();
        final Path temp = file.resolveSibling(".tmp-" + me.pid() + "-" + me.startTime() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + file.getFileName());
        MappedRegion region = null;
        try {
            final Arena arena = Arena.ofShared();
            final MemorySegment h;
            try (FileChannel channel = FileChannel.open(temp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                FileSpace.reserve(temp, totalLength);
                h = channel.map(FileChannel.MapMode.READ_WRITE, 0, totalLength, arena);
            } catch (final IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            h.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
            h.set(ValueLayout.JAVA_INT, FORMAT_VERSION_OFFSET, FORMAT_VERSION);
            h.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind.code());
            h.set(ValueLayout.JAVA_LONG, TOTAL_LENGTH_OFFSET, totalLength);
            h.set(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET, me.pid());
            h.set(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET, me.startTime());
            h.set(ValueLayout.JAVA_INT, HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            h.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, layoutVersion);
            region = new MappedRegion(file, arena, h);
            initialiser.accept(region);
            // Release: everything written above happens-before any acquire read of READY.
            INT.setRelease(h, (long) STATE_OFFSET, STATE_READY);
            try {
                // link(2) is atomic and, unlike rename(2), never replaces an existing name.
                Files.createLink(file, temp);
            } catch (final FileAlreadyExistsException e) {
                throw new RegionExistsException(file, "a region of that name already exists");
            } catch (final UnsupportedOperationException e) {
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return region;
        } catch (final IOException e) {
            if (region != null) {
                region.close();
            }
            throw new UncheckedIOException(file + ": cannot create region of " + totalLength + " bytes: " + e.getMessage(), e);
        } catch (final RuntimeException | Error e) {
            if (region != null) {
                region.close();
            }
            throw e;
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (final IOException ignored) {
                // The temp file is swept with its namespace.
            }
        }
    }

    /**
     * Attaches to an existing region file, waiting up to {@link #DEFAULT_READY_TIMEOUT} for it to
     * become ready.
     *
     * @param file             the region file
     * @param kind             the kind the caller expects
     * @param maxLayoutVersion the newest body layout version the caller understands
     * @return the attached region
     */
    public static MappedRegion attach(final Path file, final RegionKind kind, final int maxLayoutVersion) {
        return attach(file, kind, maxLayoutVersion, DEFAULT_READY_TIMEOUT);
    }

    /**
     * Attaches to an existing region file after checking its header.
     *
     * @param file             the region file
     * @param kind             the kind the caller expects
     * @param maxLayoutVersion the newest body layout version the caller understands
     * @param readyTimeout     how long to wait for the file to become ready
     * @return the attached region
     * @throws RegionNotFoundException            no such file
     * @throws TruncatedRegionException           shorter than the header or its declared length
     * @throws BadMagicException                  not an mproc region
     * @throws UnsupportedFormatVersionException  header format or layout version not understood
     * @throws KindMismatchException              another kind of object
     * @throws RegionFormatException              inconsistent lengths
     * @throws RegionNotReadyException            not ready within the timeout
     * @throws RegionClosedException              the object was destroyed
     */
    public static MappedRegion attach(
        final Path file,
        final RegionKind kind,
        final int maxLayoutVersion,
        final Duration readyTimeout) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        final Arena arena = Arena.ofShared();
        try {
            final MemorySegment whole;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                final long size = channel.size();
                if (size < HEADER_LENGTH) {
                    throw new TruncatedRegionException(file, "file is " + size
                        + " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
                }
                // Map only what the file has: mapping past its end would fault (SIGBUS) on access.
                whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                validate(file, whole, size, kind, maxLayoutVersion);
            }
            awaitReady(file, whole, readyTimeout);
            return new MappedRegion(file, arena, whole);
        } catch (final NoSuchFileException e) {
            arena.close();
            throw new RegionNotFoundException(file, "no such region file");
        } catch (final AccessDeniedException e) {
            arena.close();
            throw new RegionException(file, "permission denied (region files are 0600: owned by another user?)", e);
        } catch (final IOException e) {
            arena.close();
            throw new RegionException(file, "cannot map: " + e, e);
        } catch (final RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static void validate(
        final Path file,
        final MemorySegment h,
        final long size,
        final RegionKind kind,
        final int maxLayoutVersion) {
        final long magic = h.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new BadMagicException(file, "bad magic: expected \"MPROCRGN\" but found " + describeBytes(h, 8));
        }
        final int version = h.get(ValueLayout.JAVA_INT, FORMAT_VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatVersionException(file, "format version " + version
                + (version > FORMAT_VERSION ? " is newer than" : " is not") + " the version this library reads ("
                + FORMAT_VERSION + ")");
        }
        final int headerLength = h.get(ValueLayout.JAVA_INT, HEADER_LENGTH_OFFSET);
        if (headerLength != HEADER_LENGTH) {
            throw new RegionFormatException(file, "header length " + headerLength + " is not " + HEADER_LENGTH);
        }
        final RegionKind found = RegionKind.ofCode(h.get(ValueLayout.JAVA_INT, KIND_OFFSET));
        if (!found.equals(kind)) {
            throw new KindMismatchException(file, "expected kind " + kind + " but the file holds " + found);
        }
        final long declared = h.get(ValueLayout.JAVA_LONG, TOTAL_LENGTH_OFFSET);
        if (size < declared) {
            throw new TruncatedRegionException(file, "header declares " + declared + " bytes but the file has " + size);
        }
        if (size != declared) {
            throw new RegionFormatException(file, "header declares " + declared + " bytes but the file has " + size);
        }
        final int layoutVersion = h.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET);
        if (layoutVersion > maxLayoutVersion || layoutVersion < 0) {
            throw new UnsupportedFormatVersionException(file, "layout version " + layoutVersion + " of kind " + kind
                + " is newer than the version this library reads (" + maxLayoutVersion + ")");
        }
    }

    private static void awaitReady(final Path file, final MemorySegment h, final Duration timeout) {
        final long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        long backoff = 1_000;
        while (true) {
            // Acquire: pairs with the creator's release store of READY, so the body is visible.
            final int state = (int) INT.getAcquire(h, (long) STATE_OFFSET);
            if (state == STATE_READY) {
                return;
            }
            if (state == STATE_CLOSED) {
                throw new RegionClosedException(file, "the object was destroyed (state closed)");
            }
            if (state != STATE_INITIALISING) {
                throw new RegionFormatException(file, "unknown state " + state);
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                final long pid = h.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET);
                final long start = h.get(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET);
                final boolean alive = pid > 0 && new ProcessIdentity(pid, start).isAlive();
                throw new RegionNotReadyException(file, "not ready after " + timeout.toMillis()
                    + " ms (state initialising; creator pid " + pid + (alive ? " is alive" : " is dead") + ")");
            }
            LockSupport.parkNanos(Math.min(backoff, remaining));
            backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static String describeBytes(final MemorySegment segment, final int count) {
        final StringBuilder hex = new StringBuilder();
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            final int b = segment.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            hex.append(String.format("%02x", b));
            text.append(b >= 0x20 && b <= 0x7e ? (char) b : '.');
        }
        return "0x" + hex + " (\"" + text + "\")";
    }

    /**
     * @return the file this region maps
     */
    public Path file() {
        return file;
    }

    /**
     * @return what the region holds
     */
    public RegionKind kind() {
        return kind;
    }

    /**
     * @return the version of the kind's body layout recorded at creation
     */
    public int layoutVersion() {
        return layoutVersion;
    }

    /**
     * @return the process that created the file
     */
    public ProcessIdentity creator() {
        return creator;
    }

    /**
     * @return the body length in bytes (the file less its header)
     */
    public long bodyLength() {
        return body.byteSize();
    }

    /**
     * @return the body as a segment, for bulk access and for layouts that keep their own handles;
     *         it becomes inaccessible when this region is closed
     */
    public MemorySegment segment() {
        return body;
    }

    /**
     * @return the header state word read with acquire semantics
     */
    public int state() {
        return (int) INT.getAcquire(whole, (long) STATE_OFFSET);
    }

    /**
     * @return true unless the object was destroyed
     */
    public boolean isReady() {
        return state() == STATE_READY;
    }

    /**
     * Marks the object destroyed so that every process holding it can notice (release store);
     * attach fails from then on with {@link RegionClosedException}.
     */
    public void markClosed() {
        INT.setRelease(whole, (long) STATE_OFFSET, STATE_CLOSED);
    }

    /**
     * @return true once {@link #close()} was called (or the region was cleaned)
     */
    public boolean isClosed() {
        return !arena.scope().isAlive();
    }

    /**
     * Unmaps the file in this process. Any later access through this region or its
     * {@link #segment()} throws {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    // ---------------------------------------------------------------------------------------------
    // int accessors at body offsets
    // ---------------------------------------------------------------------------------------------

    /** @param offset body offset @return the int, plain read */
    public int getInt(final long offset) {
        return (int) INT.get(body, offset);
    }

    /** @param offset body offset @return the int, opaque read (no reordering with itself) */
    public int getIntOpaque(final long offset) {
        return (int) INT.getOpaque(body, offset);
    }

    /** @param offset body offset @return the int, acquire read */
    public int getIntAcquire(final long offset) {
        return (int) INT.getAcquire(body, offset);
    }

    /** @param offset body offset @return the int, volatile read */
    public int getIntVolatile(final long offset) {
        return (int) INT.getVolatile(body, offset);
    }

    /** @param offset body offset @param value plain write */
    public void putInt(final long offset, final int value) {
        INT.set(body, offset, value);
    }

    /** @param offset body offset @param value opaque write */
    public void putIntOpaque(final long offset, final int value) {
        INT.setOpaque(body, offset, value);
    }

    /** @param offset body offset @param value release write */
    public void putIntRelease(final long offset, final int value) {
        INT.setRelease(body, offset, value);
    }

    /** @param offset body offset @param value volatile write */
    public void putIntVolatile(final long offset, final int value) {
        INT.setVolatile(body, offset, value);
    }

    /**
     * @param offset   body offset
     * @param expected the value expected
     * @param value    the new value
     * @return true if the int was {@code expected} and is now {@code value} (volatile semantics)
     */
    public boolean compareAndSetInt(final long offset, final int expected, final int value) {
        return INT.compareAndSet(body, offset, expected, value);
    }

    /**
     * @param offset   body offset
     * @param expected the value expected
     * @param value    the new value
     * @return the value found (equal to {@code expected} on success), volatile semantics
     */
    public int compareAndExchangeInt(final long offset, final int expected, final int value) {
        return (int) INT.compareAndExchange(body, offset, expected, value);
    }

    /** @param offset body offset @param delta amount to add @return the previous value (volatile) */
    public int getAndAddInt(final long offset, final int delta) {
        return (int) INT.getAndAdd(body, offset, delta);
    }

    /** @param offset body offset @param value the new value @return the previous value (volatile) */
    public int getAndSetInt(final long offset, final int value) {
        return (int) INT.getAndSet(body, offset, value);
    }

    // ---------------------------------------------------------------------------------------------
    // long accessors at body offsets
    // ---------------------------------------------------------------------------------------------

    /** @param offset body offset @return the long, plain read */
    public long getLong(final long offset) {
        return (long) LONG.get(body, offset);
    }

    /** @param offset body offset @return the long, opaque read */
    public long getLongOpaque(final long offset) {
        return (long) LONG.getOpaque(body, offset);
    }

    /** @param offset body offset @return the long, acquire read */
    public long getLongAcquire(final long offset) {
        return (long) LONG.getAcquire(body, offset);
    }

    /** @param offset body offset @return the long, volatile read */
    public long getLongVolatile(final long offset) {
        return (long) LONG.getVolatile(body, offset);
    }

    /** @param offset body offset @param value plain write */
    public void putLong(final long offset, final long value) {
        LONG.set(body, offset, value);
    }

    /** @param offset body offset @param value opaque write */
    public void putLongOpaque(final long offset, final long value) {
        LONG.setOpaque(body, offset, value);
    }

    /** @param offset body offset @param value release write */
    public void putLongRelease(final long offset, final long value) {
        LONG.setRelease(body, offset, value);
    }

    /** @param offset body offset @param value volatile write */
    public void putLongVolatile(final long offset, final long value) {
        LONG.setVolatile(body, offset, value);
    }

    /**
     * @param offset   body offset
     * @param expected the value expected
     * @param value    the new value
     * @return true if the long was {@code expected} and is now {@code value} (volatile semantics)
     */
    public boolean compareAndSetLong(final long offset, final long expected, final long value) {
        return LONG.compareAndSet(body, offset, expected, value);
    }

    /**
     * @param offset   body offset
     * @param expected the value expected
     * @param value    the new value
     * @return the value found (equal to {@code expected} on success), volatile semantics
     */
    public long compareAndExchangeLong(final long offset, final long expected, final long value) {
        return (long) LONG.compareAndExchange(body, offset, expected, value);
    }

    /** @param offset body offset @param delta amount to add @return the previous value (volatile) */
    public long getAndAddLong(final long offset, final long delta) {
        return (long) LONG.getAndAdd(body, offset, delta);
    }

    /** @param offset body offset @param value the new value @return the previous value (volatile) */
    public long getAndSetLong(final long offset, final long value) {
        return (long) LONG.getAndSet(body, offset, value);
    }

    @Override
    public String toString() {
        return "MappedRegion[" + file + ", kind " + kind + ", body " + body.byteSize() + " bytes]";
    }
}
