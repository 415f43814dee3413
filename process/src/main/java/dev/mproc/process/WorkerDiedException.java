package dev.mproc.process;

import java.io.Serial;

/**
 * The worker JVM running a task died before finishing it (SIGKILL, {@code Runtime.halt}, out of
 * memory, a crash): the task fails with this, the pool starts a replacement worker and goes on
 * with the other tasks.
 */
public final class WorkerDiedException extends TaskFailedException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitStatus;

    /**
     * @param pid        the dead worker's process id
     * @param exitStatus its exit code as {@link Process#exitCode()} reports it ({@code -9} after SIGKILL)
     * @param message    what was lost
     */
    public WorkerDiedException(final long pid, final int exitStatus, final String message) {
        super(message, null);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /**
     * @return the dead worker's process id
     */
    public long pid() {
        return pid;
    }

    /**
     * @return its exit code, Python style: the status it exited with, or {@code -N} for signal N
     */
    public int exitStatus() {
        return exitStatus;
    }
}
