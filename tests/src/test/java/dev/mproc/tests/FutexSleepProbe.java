package dev.mproc.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Tells whether some thread of a process is blocked in the kernel in {@code futex(2)} on a given
 * address, from {@code /proc/<pid>/task/<tid>/syscall} (Linux: the number of the system call a
 * blocked thread is in, then its arguments in hex; the first argument of futex is the address).
 * <p>
 * Why: a sleeper's announcement ({@code WaitWord.sleepers() > 0}) is made <em>before</em> it enters
 * the kernel. A waker that changes the word in between makes the sleeper's futex_wait fail at once
 * with EAGAIN, so a test that only waits for the announcement cannot tell a working cross-process
 * FUTEX_WAKE from this race. Waiting until the thread is really inside futex_wait on the word
 * leaves the wake as the only way out before the timeout.
 */
public final class FutexSleepProbe {
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };

    private FutexSleepProbe() {
    }

    /**
     * @param pid     the process
     * @param address the futex word's address in that process
     * @return true if a thread of {@code pid} is now blocked in futex on {@code address}
     */
    public static boolean isAsleepOn(final long pid, final long address) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (final Path task : tasks) {
                if (isInFutex(task.resolve("syscall"), address)) {
                    return true;
                }
            }
        } catch (final IOException e) {
            return false;
        }
        return false;
    }

    private static boolean isInFutex(final Path syscallFile, final long address) {
        final String line;
        try {
            line = new String(Files.readAllBytes(syscallFile), StandardCharsets.US_ASCII).strip();
        } catch (final IOException e) {
            // The thread ended meanwhile.
            return false;
        }
        // "running" or "-1 ..." when not blocked in a system call.
        final String[] fields = line.split(" ");
        if (fields.length < 2 || !fields[0].equals(Long.toString(SYS_FUTEX)) || !fields[1].startsWith("0x")) {
            return false;
        }
        return Long.parseUnsignedLong(fields[1].substring(2), 16) == address;
    }

    /**
     * Polls every 100 us until a thread of {@code pid} sleeps in futex on {@code address} and
     * {@code alsoRequired} holds.
     *
     * @param pid          the process
     * @param address      the word's address in that process
     * @param alsoRequired a further condition checked at the same time (e.g. the sleeper count)
     * @param timeout      how long to poll
     * @return true if seen within the timeout
     */
    public static boolean awaitAsleepOn(final long pid, final long address, final BooleanSupplier alsoRequired, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!(alsoRequired.getAsBoolean() && isAsleepOn(pid, address))) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }
}
