package dev.mproc.tests.sync;

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
 * Tells whether some thread of a process is blocked in {@code futex(2)} on a word inside that
 * process's mapping of a given file: "this child is asleep on that lock (event, barrier ...)".
 * <p>
 * Why: a test of a blocking call in another JVM must know the call really blocks before it
 * interrupts, kills or releases anything. A {@code WAITING} line printed just before the call
 * cannot tell "asleep in the kernel" from "about to call", and a thread spinning or sleeping in
 * native code looks {@code RUNNABLE} from Java. The kernel can tell: for a thread blocked in a
 * system call, {@code /proc/<pid>/task/<tid>/syscall} holds its number and arguments (the first
 * argument of futex is the word's address), and {@code /proc/<pid>/maps} says where the file is
 * mapped. The sync types' futex words are private to their classes, so the probe matches any
 * address inside the file's mapping rather than one word.
 * <p>
 * The sync types sleep in slices (10 ms by default) and spin first, so a blocked thread is in
 * futex most of the time but not all of it: callers poll ({@link #awaitAsleepOn}).
 */
final class MappedFileSleepProbe {
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };

    private MappedFileSleepProbe() {
    }

    /**
     * @param pid  the process
     * @param file a file that process has mapped
     * @return true if a thread of {@code pid} is now blocked in futex on an address inside a
     *         mapping of {@code file}
     */
    static boolean isAsleepOn(final long pid, final Path file) {
        final List<long[]> ranges = mappingsOf(pid, file);
        if (ranges.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (final Path task : tasks) {
                final long address = futexAddress(task.resolve("syscall"));
                for (final long[] range : ranges) {
                    if (Long.compareUnsigned(address, range[0]) >= 0 && Long.compareUnsigned(address, range[1]) < 0) {
                        return true;
                    }
                }
            }
        } catch (final IOException e) {
            // The process is gone.
            return false;
        }
        return false;
    }

    /**
     * Polls every 200 us until a thread of {@code pid} sleeps in futex on {@code file}.
     *
     * @param pid     the process
     * @param file    the mapped file
     * @param timeout how long to poll
     * @return true if seen within the timeout
     */
    static boolean awaitAsleepOn(final long pid, final Path file, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!isAsleepOn(pid, file)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    /** [start, end) of every mapping of {@code file} in {@code pid}, from /proc/pid/maps. */
    private static List<long[]> mappingsOf(final long pid, final Path file) {
        final List<long[]> ranges = new ArrayList<>();
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return ranges;
        }
        final String name = file.toAbsolutePath().toString();
        for (final String line : lines) {
            // "start-end perms offset dev inode   path": the path is the rest after five fields.
            final String[] fields = line.split("\\s+", 6);
            if (fields.length == 6 && (fields[5].equals(name) || fields[5].equals(name + " (deleted)"))) {
                final int dash = fields[0].indexOf('-');
                ranges.add(new long[] {
                    Long.parseUnsignedLong(fields[0].substring(0, dash), 16),
                    Long.parseUnsignedLong(fields[0].substring(dash + 1), 16)});
            }
        }
        return ranges;
    }

    /** The futex address a thread is blocked on, or -1 if it is not blocked in futex. */
    private static long futexAddress(final Path syscallFile) {
        final String line;
        try {
            line = new String(Files.readAllBytes(syscallFile), StandardCharsets.US_ASCII).strip();
        } catch (final IOException e) {
            // The thread ended meanwhile.
            return -1;
        }
        // "running", or "-1 sp pc" when not in a system call, or "nr arg1 ... sp pc".
        final String[] fields = line.split(" ");
        if (fields.length < 2 || !fields[0].equals(Long.toString(SYS_FUTEX)) || !fields[1].startsWith("0x")) {
            return -1;
        }
        return Long.parseUnsignedLong(fields[1].substring(2), 16);
    }
}
