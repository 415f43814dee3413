package dev.mproc.ipc;

import java.nio.file.Path;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;

/**
 * The lock a shared value or array carries, as Python's {@code Value} and {@code Array} do: a
 * {@link Lock} file beside the object's file, named after it ({@code <object file name>.lock}),
 * created by whichever process asks for it first and attached by every other, so that all
 * handles of one object agree on one lock.
 * <p>
 * Why a separate file made lazily: most users of a shared counter only use its atomic
 * operations, and for them the object stays one small file; and the lock keeps the robust,
 * owner-checking behaviour of {@link Lock} without a second lock implementation inside the value.
 * <p>
 * One instance per handle; it maps the lock at most once and unmaps it when the handle closes.
 */
final class SharedLockFile implements AutoCloseable {
    static final String SUFFIX = ".lock";
    /** The longest object name a namespace accepts. */
    private static final int MAX_NAME_LENGTH = 128;

    private final Path objectFile;
    private volatile Lock lock;
    private boolean closed; // guarded by this

    SharedLockFile(final Path objectFile) {
        this.objectFile = objectFile.toAbsolutePath();
    }

    /**
     * @return the object's lock, created or attached on the first call
     * @throws IllegalStateException if the handle was closed before the lock was first asked for
     */
    Lock get() {
        final Lock known = lock;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(objectFile + ": handle is closed");
            }
            if (lock == null) {
                // An attached namespace owns nothing: closing it deletes nothing.
                try (Namespace namespace = Namespace.attach(objectFile.getParent())) {
                    lock = Lock.create(namespace, lockName(objectFile.getFileName().toString()));
                }
            }
            return lock;
        }
    }

    /**
     * @param objectName the file name of a shared object
     * @return the name of its lock file: the object name plus {@value #SUFFIX}, or, where that
     *         would be longer than a namespace allows, a shortened object name plus a hash of the
     *         whole name (the same in every process)
     */
    static String lockName(final String objectName) {
        if (objectName.length() + SUFFIX.length() <= MAX_NAME_LENGTH) {
            return objectName + SUFFIX;
        }
        final String hash = String.format("%016x", fnv1a(objectName));
        final int keep = MAX_NAME_LENGTH - SUFFIX.length() - hash.length() - 1;
        return objectName.substring(0, keep) + "-" + hash + SUFFIX;
    }

    /** 64-bit FNV-1a: stable across JVMs, unlike {@link Object#hashCode()} is not promised to be. */
    private static long fnv1a(final String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Unmaps the lock in this handle, if it was ever mapped; the lock file stays. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (lock != null) {
            lock.close();
        }
    }
}
