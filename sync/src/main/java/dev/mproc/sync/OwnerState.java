package dev.mproc.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What only the holding process knows about a lock it holds: which of its threads holds it, how
 * many times (for {@link RLock}), and whether the hold began by recovering the lock from a dead
 * holder.
 * <p>
 * One instance per lock file per process, shared by every handle of that file in the process
 * (a handle deserialised twice must agree with itself about who holds the lock). Fields are
 * written only by the holding thread while it holds the lock, and cleared by it before the shared
 * owner word is released, so another thread of the process reading the owner sees either
 * null or the real holder, never itself unless it holds the lock: a thread always sees its own
 * latest write to the field, and its own write is the only one that can name it. That is why
 * opaque access suffices (no fences on the uncontended path); the shared owner word's CAS and
 * volatile store order everything else.
 */
final class OwnerState {
    private static final ConcurrentHashMap<String, OwnerState> BY_FILE = new ConcurrentHashMap<>();

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(OwnerState.class, "owner", Thread.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through OWNER
    private Thread owner;
    int holds;
    boolean recovered;

    private OwnerState() {
    }

    Thread owner() {
        return (Thread) OWNER.getOpaque(this);
    }

    void owner(final Thread thread) {
        OWNER.setOpaque(this, thread);
    }

    static OwnerState forFile(final String file) {
        return BY_FILE.computeIfAbsent(file, ignored -> new OwnerState());
    }
}
