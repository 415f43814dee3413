package dev.mproc.ipc;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionExistsException;
import dev.mproc.core.RegionKind;
import dev.mproc.core.RegionNotFoundException;

/**
 * A named block of raw memory shared by processes: Python's
 * {@code multiprocessing.shared_memory.SharedMemory}. One process {@link #create}s it with a
 * size; others {@link #attach} to it by name (in the same namespace) or by file; each works on
 * the bytes through {@link #segment()} or {@link #asByteBuffer()}.
 * <p>
 * Lifetime follows POSIX shared memory, as Python's does: {@link #close()} unmaps the memory in
 * this handle only; {@link #unlink()} removes the name for everyone, after which nobody can
 * attach, while mappings that already exist stay valid until their handles close. The memory
 * also goes when its namespace is removed. <b>Attaching never unlinks anything</b>, and neither
 * does closing an attached handle or the end of the attaching process: there is no resource
 * tracker that destroys, when a process exits, a block that process only attached to (Python's
 * long-standing pitfall, avoidable there only with 3.13's {@code track=False}).
 * <p>
 * The data starts page-aligned (4096 bytes) in every mapping, and is exactly {@link #size()}
 * bytes, zeroed at creation. A {@code SharedMemory} is a small serialisable handle: a task that
 * captures it attaches to the same memory in the process that runs it.
 * <p>
 * After {@link #close()}, access through a segment or buffer obtained from this handle throws
 * {@link IllegalStateException} ("Already closed"); it never touches unmapped memory. The
 * mapping is shared between threads, and closing it while another thread is accessing it makes
 * that access fail in the same way rather than crash the JVM.
 * <p>
 * Memory consistency effects: the zeroed contents at creation are visible to every handle that
 * attaches. Beyond that, plain reads and writes through {@link #segment()} or
 * {@link #asByteBuffer()} carry no ordering between threads or processes: publish data with a
 * synchronizer ({@link dev.mproc.sync.Lock}, {@link dev.mproc.sync.Semaphore},
 * {@link dev.mproc.sync.Event}, whose memory consistency effects cover all memory, this block
 * included), or use volatile or acquire/release access modes of a
 * {@link java.lang.foreign.ValueLayout#varHandle() VarHandle} on the segment.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a shared memory file. */
    public static final RegionKind KIND = RegionKind.of("SHMM");

    private final String file;
    private final transient MappedRegion region;
    private final transient MemorySegment data;

    private SharedMemory(final MappedRegion region) {
        this.file = region.file().toString();
        this.region = region;
        this.data = region.segment().asSlice(SharedMemoryLayout.DATA_OFFSET);
    }

    /**
     * Creates a block with a generated name (read it with {@link #name()} to pass it on).
     *
     * @param namespace where the file goes
     * @param size      the number of bytes, zeroed
     * @return the new block
     * @throws IllegalArgumentException if {@code size} is not positive
     */
    public static SharedMemory create(final Namespace namespace, final long size) {
        Objects.requireNonNull(namespace, "namespace");
        return create(namespace, namespace.uniqueName("shm"), size);
    }

    /**
     * Creates a block of that name, failing if the name is taken (Python's
     * {@code SharedMemory(name, create=True, size=size)}).
     *
     * @param namespace where the file goes
     * @param name      the block's name in the namespace
     * @param size      the number of bytes, zeroed
     * @return the new block
     * @throws IllegalArgumentException if {@code size} is not positive or the name is invalid
     * @throws RegionExistsException    if an object of that name exists (the message names the file)
     * @throws UncheckedIOException     if the memory cannot be reserved (no space)
     */
    public static SharedMemory create(final Namespace namespace, final String name, final long size) {
        Objects.requireNonNull(namespace, "namespace");
        if (size <= 0) {
            throw new IllegalArgumentException("shared memory size must be positive: name=" + name + " size=" + size);
        }
        return new SharedMemory(namespace.createRegion(name, KIND, SharedMemoryLayout.LAYOUT_VERSION,
            SharedMemoryLayout.DATA_OFFSET + size, region -> { }));
    }

    /**
     * Attaches to the block of that name (Python's {@code SharedMemory(name)}). Never unlinks
     * anything, now or later.
     *
     * @param namespace the namespace it lives in
     * @param name      the block's name
     * @return a new handle on the block
     * @throws RegionNotFoundException if there is no such block (never created, or unlinked)
     */
    public static SharedMemory attach(final Namespace namespace, final String name) {
        return new SharedMemory(Objects.requireNonNull(namespace, "namespace").attachRegion(name, KIND,
            SharedMemoryLayout.LAYOUT_VERSION));
    }

    /**
     * Attaches to the block in that file. Never unlinks anything, now or later.
     *
     * @param file a shared memory file
     * @return a new handle on the block
     * @throws RegionNotFoundException if there is no such file
     */
    public static SharedMemory attach(final Path file) {
        return new SharedMemory(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            SharedMemoryLayout.LAYOUT_VERSION));
    }

    /**
     * @return the block's name in its namespace, for {@link #attach(Namespace, String)}
     */
    public String name() {
        return region.file().getFileName().toString();
    }

    /**
     * @return the number of usable bytes, exactly as requested at creation
     */
    public long size() {
        return data.byteSize();
    }

    /**
     * @return the block's file
     */
    public Path file() {
        return Path.of(file);
    }

    /**
     * The data: exactly {@link #size()} bytes, starting page-aligned. Any byte order; Java's
     * {@link java.lang.foreign.ValueLayout}s are native order unless told otherwise.
     *
     * @return the data as a segment, inaccessible once this handle is closed
     * @throws IllegalStateException if this handle is closed
     */
    public MemorySegment segment() {
        checkOpen();
        return data;
    }

    /**
     * A new direct buffer over the same memory as {@link #segment()}: position 0, limit and
     * capacity {@link #size()}, byte order set to {@link ByteOrder#nativeOrder()} (not the
     * big-endian default of a new buffer) so that it agrees with the segment's native-order
     * layouts. Each call returns an independent buffer (its own position and limit) over the same
     * bytes.
     *
     * @return the data as a buffer, inaccessible once this handle is closed
     * @throws UnsupportedOperationException if {@link #size()} is above {@link Integer#MAX_VALUE},
     *                                       which a buffer cannot index (use {@link #segment()})
     * @throws IllegalStateException         if this handle is closed
     */
    public ByteBuffer asByteBuffer() {
        checkOpen();
        final long size = data.byteSize();
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException(file + ": a ByteBuffer holds at most " + Integer.MAX_VALUE
                + " bytes: size=" + size + "; use segment()");
        }
        return data.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * @return true once {@link #close()} was called on this handle
     */
    public boolean isClosed() {
        return region.isClosed();
    }

    private void checkOpen() {
        if (region.isClosed()) {
            throw new IllegalStateException(file + ": shared memory handle is closed");
        }
    }

    /**
     * Unmaps the memory in this handle (Python's {@code close()}); the block and other handles on
     * it, in this and other processes, are unaffected, and the file stays until
     * {@link #unlink()}. Segments and buffers obtained from this handle become inaccessible
     * ({@link IllegalStateException} on access). Idempotent.
     */
    @Override
    public void close() {
        region.close();
    }

    /**
     * Removes the block's name for everyone (Python's {@code unlink()}): from now on it cannot be
     * attached ({@link RegionNotFoundException}), and its memory is freed once every existing
     * mapping is closed. Existing mappings, in this and other processes, stay valid until then.
     * Like {@code shm_unlink(3)} it works by name: call it once, from the process that owns the
     * block's life, since a later unlink of the same name would remove a new block created under
     * it. Does not close this handle. Does nothing if the file is already gone.
     */
    public void unlink() {
        try {
            // Mark the object destroyed through our own mapping (never a newer file under the
            // name), so that a process caught between opening the file and checking it fails
            // with a clear error instead of attaching to memory nobody will see again.
            region.markClosed();
        } catch (final IllegalStateException closed) {
            // This handle is closed: there is no mapping to mark through; deleting is what counts.
        }
        try {
            Files.deleteIfExists(Path.of(file));
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot unlink: " + e.getMessage(), e);
        }
    }

    @Serial
    private Object readResolve() {
        return attach(Path.of(file));
    }

    @Override
    public String toString() {
        return "SharedMemory[" + file + ", size " + data.byteSize() + (region.isClosed() ? ", closed" : "") + "]";
    }
}
