package dev.mproc.sync;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What only the holding process knows about a lock it holds: which of its threads holds it, how
 * many times (for {@link RLock}), and whether the hold began by recovering the lock from a dead
 * holder.
 * <p>
 * One instance per lock file per process, shared by every handle of that file in the process
 * (a handle deserialised twice must agree with itself about who holds the lock). Fields are
 * written only by the holding thread while it holds the lock, and cleared by it before the shared
 * owner word is released, so another thread of the process reading {@link #owner} sees either
 * null or the real holder, never itself unless it holds the lock.
 */
final class OwnerState {
    private static final ConcurrentHashMap<String, OwnerState> BY_FILE = new ConcurrentHashMap<>();

    volatile Thread owner;
    int holds;
    boolean recovered;

    private OwnerState() {
    }

    static OwnerState forFile(final String file) {
        return BY_FILE.computeIfAbsent(file, ignored -> new OwnerState());
    }
}
