package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link LockHolderDeathAcrossJvmsTest}: holds a cross-process lock until it is
 * killed, or waits for it and reports how it got it.
 * <ul>
 *   <li>{@code LockHolderChild hold <lockFile> <lock|rlock>}: takes the lock (an RLock twice,
 *   re-entrantly), prints {@code HELD <hold count>}, then waits for commands it never gets: the
 *   parent kills it with SIGKILL, still holding.</li>
 *   <li>{@code LockHolderChild wait <lockFile> <lock|rlock>}: prints {@code WAITING}, blocks in
 *   {@code lock()}, prints {@code ACQUIRED <previousHolderDied> <hold count> <recoveries>}, waits
 *   for the command {@code UNLOCK}, unlocks, prints {@code UNLOCKED} and exits 0.</li>
 * </ul>
 */
public final class LockHolderChild {
    private LockHolderChild() {
    }

    /**
     * @param args role, lock file, lock kind
     */
    public static void main(final String[] args) {
        ChildMain.start();
        final Path file = Path.of(args[1]);
        final Held lock = args[2].equals("rlock") ? new Held(null, RLock.attach(file)) : new Held(Lock.attach(file), null);
        switch (args[0]) {
            case "hold" -> hold(lock, args[2].equals("rlock"));
            case "wait" -> waitFor(lock);
            default -> ChildMain.failAndExit("unknown role " + args[0]);
        }
    }

    private static void hold(final Held lock, final boolean reentrant) {
        lock.lock();
        if (reentrant) {
            lock.lock();
        }
        ChildMain.say("HELD " + lock.holdCount());
        // Holds until killed: the parent never sends anything, and SIGKILL runs no finally block.
        while (true) {
            ChildMain.nextCommand();
        }
    }

    private static void waitFor(final Held lock) {
        ChildMain.say("WAITING");
        lock.lock();
        ChildMain.say("ACQUIRED " + lock.previousHolderDied() + " " + lock.holdCount() + " " + lock.recoveries());
        ChildMain.expectCommand("UNLOCK");
        lock.unlock();
        ChildMain.say("UNLOCKED");
    }

    /** Either kind of lock, with the queries both have but share no interface for. */
    private record Held(Lock plain, RLock reentrant) {
        void lock() {
            if (plain != null) {
                plain.lock();
            } else {
                reentrant.lock();
            }
        }

        void unlock() {
            if (plain != null) {
                plain.unlock();
            } else {
                reentrant.unlock();
            }
        }

        boolean previousHolderDied() {
            return plain != null ? plain.previousHolderDied() : reentrant.previousHolderDied();
        }

        long recoveries() {
            return plain != null ? plain.recoveries() : reentrant.recoveries();
        }

        /** A plain Lock held counts as one hold. */
        int holdCount() {
            if (plain != null) {
                return plain.isHeldByCurrentThread() ? 1 : 0;
            }
            return reentrant.getHoldCount();
        }
    }
}
