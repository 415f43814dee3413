package dev.mproc.core;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as other processes can name it for as long as it lives: its pid plus its start time.
 * <p>
 * A pid alone is not enough, because the kernel recycles pids: a lock whose holder died must not
 * be thought still held because an unrelated process later received the same pid. The start time
 * tells the two apart.
 * <p>
 * On Linux the start time is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot), which
 * every process on the machine reads identically. Elsewhere it is the start instant reported by
 * {@link ProcessHandle.Info#startInstant()} in milliseconds. All processes sharing a namespace run
 * on one machine and so use the same source.
 * <p>
 * A zombie (a process that has exited but has not been reaped by its parent yet) counts as dead:
 * it will never touch shared memory again.
 */
public final class ProcessIdentity implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final boolean PROC_FS = Files.isReadable(Path.of("/proc/self/stat"));
    private static final ProcessIdentity CURRENT = lookup(ProcessHandle.current().pid())
        .orElseThrow(() -> new IllegalStateException("cannot read the start time of this process"));

    private final long pid;
    private final long startTime;

    /**
     * @param pid       the process id
     * @param startTime the start time as {@link #startTime()} defines it
     */
    public ProcessIdentity(final long pid, final long startTime) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: pid=" + pid);
        }
        this.pid = pid;
        this.startTime = startTime;
    }

    /**
     * @return the identity of the calling process (computed once)
     */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * Reads the identity of a live process.
     *
     * @param pid the process id
     * @return its identity, or empty if no such process is alive
     */
    public static Optional<ProcessIdentity> lookup(final long pid) {
        final long start = readStartTime(pid);
        return start < 0 ? Optional.empty() : Optional.of(new ProcessIdentity(pid, start));
    }

    /**
     * @return the process id
     */
    public long pid() {
        return pid;
    }

    /**
     * @return the start time: clock ticks since boot on Linux, epoch milliseconds elsewhere
     */
    public long startTime() {
        return startTime;
    }

    /**
     * @return true if the process this identity names is still running (not exited, not a zombie,
     *         and its pid not recycled by another process)
     */
    public boolean isAlive() {
        return readStartTime(pid) == startTime;
    }

    /**
     * A 64-bit token naming this process that fits one CAS-able word of shared memory: the pid in
     * the low 32 bits, the low 32 bits of the start time in the high half. Nonzero for any real
     * process. A recycled pid gives a different token, since its start time differs.
     *
     * @return the token
     */
    public long token() {
        return (pid & 0xFFFF_FFFFL) | (startTime << 32);
    }

    /**
     * @param token a token made by {@link #token()}
     * @return the pid it names
     */
    public static long pidOf(final long token) {
        return token & 0xFFFF_FFFFL;
    }

    /**
     * @param token a token made by {@link #token()}
     * @return true if the process it names is still alive (reads /proc: not for hot paths)
     */
    public static boolean isAlive(final long token) {
        final long start = readStartTime(pidOf(token));
        return start >= 0 && (int) start == (int) (token >>> 32);
    }

    /**
     * @return the start time of {@code pid}, or -1 when no live (non-zombie) process has that pid
     */
    static long readStartTime(final long pid) {
        if (PROC_FS) {
            return readProcStartTime(pid);
        }
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(handle -> handle.info().startInstant())
            .map(instant -> instant.toEpochMilli())
            .orElse(-1L);
    }

    private static long readProcStartTime(final long pid) {
        final String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                StandardCharsets.US_ASCII);
        } catch (final NoSuchFileException e) {
            return -1;
        } catch (final IOException e) {
            // ESRCH while the process is being torn down surfaces as a plain IOException.
            return -1;
        }
        // The command name (field 2) is in parentheses and may itself contain spaces and ')':
        // the fields after it start after the last ')'.
        final int afterName = stat.lastIndexOf(')');
        if (afterName < 0 || afterName + 2 >= stat.length()) {
            return -1;
        }
        final String[] fields = stat.substring(afterName + 2).split(" ");
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        if (fields.length < 20) {
            return -1;
        }
        final char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        if (state == 'Z' || state == 'X' || state == 'x') {
            return -1;
        }
        try {
            return Long.parseLong(fields[19]);
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ProcessIdentity other && other.pid == pid && other.startTime == startTime;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 31 + Long.hashCode(startTime);
    }

    @Override
    public String toString() {
        return "pid " + pid + " (start " + startTime + ")";
    }
}
