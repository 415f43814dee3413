package dev.mproc.benchmarks.jmh;

import dev.mproc.core.Namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of a fixed size in a namespace's directory, mapped read-write until {@link #close()}:
 * the same kind of memory mproc's regions live in, for benchmark inputs and peers that take a raw
 * buffer rather than an mproc region. It has no header and no layout of its own; whoever creates
 * it decides what goes where.
 *
 * <p>Why an arena and not a {@code MappedByteBuffer}: closing the arena unmaps the file at once,
 * so a benchmark's tear-down leaves neither the file (the namespace deletes it) nor the mapping
 * behind; a buffer would stay mapped until the garbage collector found it.
 */
final class ScratchFile implements AutoCloseable {
    private final Path file;
    private final Arena arena;
    private final MemorySegment segment;

    private ScratchFile(final Path file, final Arena arena, final MemorySegment segment) {
        this.file = file;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Creates a new file of {@code size} zero bytes in {@code namespace} and maps it.
     *
     * @param namespace where the file goes; closing the namespace deletes it
     * @param prefix    what the file is for, the start of its generated name
     * @param size      bytes to map, at least 1
     * @return the mapped file
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    static ScratchFile create(final Namespace namespace, final String prefix, final long size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: size=" + size);
        }
        final Path file = namespace.pathOf(namespace.uniqueName(prefix));
        // Shared, not confined: JMH may run set-up, iterations and tear-down on different threads.
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Mapping past the end grows the file to the mapped size, filled with zeros.
            return new ScratchFile(file, arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
        } catch (final IOException e) {
            arena.close();
            throw new UncheckedIOException(file + ": cannot create and map " + size + " bytes: " + e.getMessage(), e);
        }
    }

    /** @return the whole mapping; valid until {@link #close()} */
    MemorySegment segment() {
        return segment;
    }

    /** @return the file's path */
    Path file() {
        return file;
    }

    /** Unmaps the file (the namespace deletes it); any view of the mapping is invalid afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
