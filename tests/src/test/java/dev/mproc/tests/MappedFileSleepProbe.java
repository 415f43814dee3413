package dev.mproc.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells whether a thread of some process is asleep in {@code futex(2)} on a word inside that
 * process's mapping of a queue or pipe file: "this producer is stuck waiting for room", "this
 * {@code recv} or {@code join} is really blocked".
 * <p>
 * Why: a protocol line printed just before a blocking call cannot tell "asleep in the kernel"
 * from "about to call", and a thread asleep in native code looks {@code RUNNABLE} from Java. The
 * kernel can tell: {@code /proc/<pid>/task/<tid>/syscall} holds the system call a blocked thread
 * is in and its arguments (futex's first is the word's address), and {@code /proc/<pid>/maps}
 * says where the file is mapped. The queue's and pipe's wait words are private to ipc, so any
 * address inside the file's mappings counts.
 * <p>
 * Mappings are recognised by device and inode, not by path: the process that created a region
 * mapped it under a temporary name before renaming it into place, and {@code /proc/<pid>/maps}
 * keeps showing that name (as {@code ... (deleted)}). Otherwise this is the check of
 * {@code dev.mproc.tests.sync.MappedFileSleepProbe}, which is private to its package and matches
 * by path, so it cannot see the creator's own threads. ipc's blocked calls spin first and then
 * sleep in slices (10 ms by default), so a blocked thread is in futex most but not all of the
 * time: callers poll ({@link #awaitAsleepOn}).
 */
public final class MappedFileSleepProbe {
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };

    private MappedFileSleepProbe() {
    }

    /**
     * Polls every 200 us until a thread of {@code pid} sleeps in futex inside a mapping of
     * {@code file}.
     *
     * @param pid     the process (this JVM's own pid works too)
     * @param file    a file that process has mapped
     * @param timeout how long to poll
     * @return true if seen within the timeout
     */
    public static boolean awaitAsleepOn(final long pid, final Path file, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!isAsleepOn(pid, file)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    /**
     * @param pid  the process
     * @param file a file that process has mapped
     * @return true if a thread of {@code pid} is now blocked in futex inside a mapping of {@code file}
     */
    public static boolean isAsleepOn(final long pid, final Path file) {
        final List<long[]> mappings = mappingsOf(pid, file);
        if (mappings.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (final Path thread : threads) {
                final long address = futexWordOf(thread.resolve("syscall"));
                if (address != -1 && isInside(address, mappings)) {
                    return true;
                }
            }
        } catch (final IOException e) {
            // The process is gone: nobody of it sleeps anywhere.
            return false;
        }
        return false;
    }

    private static boolean isInside(final long address, final List<long[]> mappings) {
        for (final long[] mapping : mappings) {
            if (Long.compareUnsigned(address, mapping[0]) >= 0 && Long.compareUnsigned(address, mapping[1]) < 0) {
                return true;
            }
        }
        return false;
    }

    /** [start, end) of every mapping of {@code file} in {@code pid}, from /proc/pid/maps. */
    private static List<long[]> mappingsOf(final long pid, final Path file) {
        final List<long[]> mappings = new ArrayList<>();
        final String device;
        final String inode;
        final List<String> lines;
        try {
            final long dev = (Long) Files.getAttribute(file, "unix:dev");
            // glibc's dev_t encoding, printed as maps does: major:minor in hex.
            final long major = (dev >>> 8 & 0xfff) | (dev >>> 32 & ~0xfffL);
            final long minor = (dev & 0xff) | (dev >>> 12 & ~0xffL);
            device = String.format("%02x:%02x", major, minor);
            inode = Long.toString((Long) Files.getAttribute(file, "unix:ino"));
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            // The file or the process is gone.
            return mappings;
        }
        for (final String line : lines) {
            // "start-end perms offset dev inode   path".
            final String[] fields = line.split("\\s+", 6);
            if (fields.length >= 5 && fields[3].equals(device) && fields[4].equals(inode)) {
                final int dash = fields[0].indexOf('-');
                mappings.add(new long[] {
                    Long.parseUnsignedLong(fields[0].substring(0, dash), 16),
                    Long.parseUnsignedLong(fields[0].substring(dash + 1), 16)});
            }
        }
        return mappings;
    }

    /** The futex word a thread is blocked on, or -1 if it is not blocked in futex. */
    private static long futexWordOf(final Path syscallFile) {
        final String line;
        try {
            line = new String(Files.readAllBytes(syscallFile), StandardCharsets.US_ASCII).strip();
        } catch (final IOException e) {
            // The thread ended meanwhile.
            return -1;
        }
        // "running", "-1 sp pc" outside a system call, or "nr arg1 arg2 ... sp pc".
        final String[] fields = line.split(" ");
        if (fields.length < 2 || !fields[0].equals(Long.toString(SYS_FUTEX)) || !fields[1].startsWith("0x")) {
            return -1;
        }
        return Long.parseUnsignedLong(fields[1].substring(2), 16);
    }
}
