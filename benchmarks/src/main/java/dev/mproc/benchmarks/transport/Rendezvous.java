package dev.mproc.benchmarks.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How the two (or more) JVMs of a Java peer's channel find each other when they open their ends by
 * name, in any order and at the same time: a bounded wait for something the other side makes (a
 * listening socket), and a shared file that exactly one side creates while the others open it.
 * <p>
 * Both are done once, when a channel is opened, never in a measured loop.
 */
final class Rendezvous {
    /** How long an end waits for its other side before giving up with an exception. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** First pause between attempts: short, since the other side is usually a moment behind. */
    private static final long FIRST_PAUSE_NANOS = 10_000;
    /** Longest pause between attempts: keeps a long wait from burning a CPU another JVM needs. */
    private static final long LONGEST_PAUSE_NANOS = 1_000_000;
    /** Zeros written per call when a shared file is sized. */
    private static final int ZERO_CHUNK_BYTES = 64 << 10;

    /** One try at what is awaited. */
    @FunctionalInterface
    interface Attempt<T> {
        /**
         * @return the result, or null if it is not there yet
         * @throws IOException a failure that retrying will not cure (ends the wait)
         */
        T tryOnce() throws IOException;
    }

    private Rendezvous() {
    }

    /**
     * Tries until the attempt returns a result or the timeout passes, pausing between tries
     * (10 us at first, doubling up to 1 ms: there is no notification to wait on, as the other
     * side is another JVM that may not have started yet).
     *
     * @param timeout    how long to keep trying
     * @param waitingFor what is awaited, for the exception's message (called only on time-out, so
     *                   it can report the last refusal the attempt saw)
     * @param attempt    one try
     * @param <T>        what is awaited
     * @return the attempt's first non-null result
     * @throws IOException            naming what was awaited and for how long, on time-out; or what
     *                                the attempt threw
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    static <T> T await(final Duration timeout, final Supplier<String> waitingFor, final Attempt<T> attempt)
        throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            final T result = attempt.tryOnce();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("gave up after " + timeout.toMillis() + " ms: " + waitingFor.get());
            }
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while waiting: " + waitingFor.get());
            }
            pause = Math.min(LONGEST_PAUSE_NANOS, pause * 2);
        }
    }

    /**
     * Makes sure {@code file} exists with exactly {@code bytes} bytes, all zero when it is new, whoever
     * gets here first: every caller writes a zero-filled file of its own under a temporary name and
     * then hard-links it to {@code file}. {@code link(2)} is atomic and fails when the name exists, so
     * exactly one file ever takes the name and every caller uses that one; a rename
     * ({@code Files.move} with {@code ATOMIC_MOVE}) would silently replace a file another side
     * already mapped. The temporary name is removed either way. No caller waits for another.
     * <p>
     * The zeros are written, not left as a hole ({@code setLength}), so that the file system
     * allocates every page now: a mapping of a sparse file on a full {@code /dev/shm} would fail
     * later with SIGBUS, in the middle of a run.
     *
     * @param file  the shared file's final name
     * @param bytes its length
     * @return {@code file}
     * @throws IOException           if it cannot be written or linked
     * @throws IllegalStateException if the existing file has another length (sides that disagree
     *                               on the channel's size)
     */
    static Path sharedZeroedFile(final Path file, final long bytes) throws IOException {
        if (!Files.exists(file)) {
            final Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                    writeZeros(channel, bytes);
                }
                Files.createLink(file, temp);
            } catch (final FileAlreadyExistsException e) {
                if (!file.toString().equals(e.getFile())) {
                    throw e;
                }
                // Another side linked its file first: use that one.
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        final long actual = Files.size(file);
        if (actual != bytes) {
            throw new IllegalStateException(file + ": shared file has the wrong length: length=" + actual
                + " expected=" + bytes);
        }
        return file;
    }

    private static void writeZeros(final FileChannel channel, final long bytes) throws IOException {
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK_BYTES, Math.max(1, bytes)));
        long position = 0;
        while (position < bytes) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
        }
    }
}
