package dev.mproc.process;

import java.io.Serial;

/**
 * Stands in for an exception thrown in another process that could not itself be serialised
 * (it held a field that is not {@code Serializable}, or its class is missing here): it carries
 * the original class name, message and stack trace, and the same for its causes.
 *
 * <p>{@link #toString()} reads like the original's ({@code com.example.Failure: message}), so
 * logs and stack traces look as they would have in the process that threw it.
 */
public final class RemoteException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String originalClassName;

    /**
     * @param originalClassName the class name of the exception in the other process
     * @param message           its message, may be {@code null}
     * @param cause             its cause, already converted, may be {@code null}
     */
    public RemoteException(final String originalClassName, final String message, final Throwable cause) {
        super(message, cause);
        this.originalClassName = originalClassName;
    }

    /**
     * Converts {@code throwable} and its causes, keeping class names, messages and stack traces.
     *
     * @param throwable an exception from this process
     * @return its stand-in
     */
    public static RemoteException of(final Throwable throwable) {
        final Throwable cause = throwable.getCause();
        final RemoteException converted = new RemoteException(throwable.getClass().getName(),
            throwable.getMessage(), cause == null || cause == throwable ? null : of(cause));
        converted.setStackTrace(throwable.getStackTrace());
        for (final Throwable suppressed : throwable.getSuppressed()) {
            converted.addSuppressed(of(suppressed));
        }
        return converted;
    }

    /**
     * @return the class name of the exception this stands in for
     */
    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        final String message = getLocalizedMessage();
        return message == null ? originalClassName : originalClassName + ": " + message;
    }
}
