package dev.mproc.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reserves the blocks of a file before it is mapped, with {@code posix_fallocate(3)}.
 * <p>
 * Why: a mapping of a sparse file on a full tmpfs ({@code /dev/shm}) is only found short of space
 * when a page is first touched, and the kernel then sends SIGBUS, which kills the JVM. Reserving
 * up front turns that into an {@link IOException} at creation ("No space left on device"). The
 * price is that the memory is committed at creation rather than on first touch.
 * <p>
 * Where {@code posix_fallocate} cannot be bound (not Linux, no libc symbol), reservation is
 * skipped and the file stays sparse.
 */
final class FileSpace {
    private static final int O_RDWR = 2;
    private static final int EOPNOTSUPP = 95;

    private static final MethodHandle OPEN;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle open = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                final Linker linker = Linker.nativeLinker();
                final SymbolLookup libc = linker.defaultLookup();
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
                fallocate = linker.downcallHandle(libc.find("posix_fallocate").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            } catch (final RuntimeException | LinkageError e) {
                open = null;
            }
        }
        OPEN = open;
        FALLOCATE = fallocate;
        CLOSE = close;
    }

    private FileSpace() {
    }

    /**
     * Makes sure {@code length} bytes of {@code file} are backed by storage.
     *
     * @param file   an existing regular file
     * @param length the length the file must have, backed
     * @throws IOException when the storage cannot be reserved (naming the file, length and errno)
     */
    static void reserve(final Path file, final long length) throws IOException {
        if (OPEN == null || length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            final int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDWR);
            if (fd < 0) {
                throw new IOException(file + ": cannot open to reserve " + length + " bytes");
            }
            try {
                final int error = (int) FALLOCATE.invokeExact(fd, 0L, length);
                if (error == EOPNOTSUPP) {
                    return; // the file system cannot reserve; the file stays sparse
                }
                if (error != 0) {
                    throw new IOException(file + ": cannot reserve " + length + " bytes: "
                        + (error == 28 ? "No space left on device" : "errno " + error));
                }
            } finally {
                final int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }
}
