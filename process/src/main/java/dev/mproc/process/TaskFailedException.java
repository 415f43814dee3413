package dev.mproc.process;

import java.io.Serial;

/**
 * A task given to a {@link Pool} failed: its cause is the exception the task threw in the worker,
 * with the worker's stack trace (or a {@link RemoteException} standing in for it).
 */
public class TaskFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, where
     * @param cause   the task's exception, or {@code null}
     */
    public TaskFailedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
