package dev.mproc.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the threads of this JVM that are blocked in the kernel in {@code futex(2)} on one
 * address, by reading {@code /proc/self/task/<tid>/syscall}.
 * <p>
 * Why: a test that wants {@code wake} to report exactly one woken thread must know the sleeper is
 * already queued in the kernel, not merely about to call in. A sleeper count in shared memory says
 * "about to sleep"; only the kernel knows "asleep". A blocked thread's {@code syscall} file reads
 * {@code "<nr> <arg0> <arg1> ..."}, and for a futex wait {@code arg0} is the word's address and
 * {@code arg1} the operation (0 = FUTEX_WAIT, without the private flag).
 */
final class KernelFutexWaiters {
    private static final Path TASKS = Path.of("/proc/self/task");

    private KernelFutexWaiters() {
    }

    /**
     * @return true if this JVM can see its threads' system calls (Linux, readable /proc)
     */
    static boolean observable() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (final Path task : tasks) {
                Files.readString(task.resolve("syscall"));
                return true;
            }
            return false;
        } catch (final IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * @param address the futex word's native address
     * @return how many threads are blocked in FUTEX_WAIT (shared) on that address
     */
    static int count(final long address) {
        final String wanted = "0x" + Long.toHexString(address);
        int count = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (final Path task : tasks) {
                final String[] fields;
                try {
                    fields = Files.readString(task.resolve("syscall")).trim().split(" ");
                } catch (final IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (fields.length >= 3 && isFutexSyscall(fields[0]) && fields[1].equals(wanted)
                    && fields[2].equals("0x0")) {
                    count++;
                }
            }
        } catch (final IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
        return count;
    }

    private static boolean isFutexSyscall(final String number) {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> number.equals("202");
            case "aarch64" -> number.equals("98");
            default -> false;
        };
    }
}
