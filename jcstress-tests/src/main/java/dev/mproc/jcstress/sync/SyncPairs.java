package dev.mproc.jcstress.sync;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.PairPool.Pair;
import dev.mproc.sync.Barrier;
import dev.mproc.sync.BoundedSemaphore;
import dev.mproc.sync.Condition;
import dev.mproc.sync.Event;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.sync.Semaphore;

/**
 * The pools of the sync tests: how each type is made twice (created, then attached by its file)
 * and when a returned object counts as idle. One pool per test class (a static field), so that a
 * forked test JVM only ever makes the objects of the test it runs.
 */
final class SyncPairs {
    private SyncPairs() {
    }

    /** @return a pool of locks; a lock comes back idle only if it is unlocked */
    static PairPool<Lock> locks() {
        return new PairPool<>(
            namespace -> {
                final Lock a = Lock.create(namespace);
                return new Pair<>(a, Lock.attach(a.file()));
            },
            pair -> !pair.a().isLocked(),
            Lock::close);
    }

    /** @return a pool of re-entrant locks; one comes back idle only if it is unlocked */
    static PairPool<RLock> rlocks() {
        return new PairPool<>(
            namespace -> {
                final RLock a = RLock.create(namespace);
                return new Pair<>(a, RLock.attach(a.file()));
            },
            pair -> !pair.a().isLocked(),
            RLock::close);
    }

    /**
     * A condition with its own {@link RLock} (as Python's {@code Condition()}); handle B is
     * {@code Condition.attach} of A's file, which attaches B's own handle on the lock, so each
     * "process" reaches both the condition and its lock through its own mappings.
     *
     * @return a pool of conditions; one comes back idle only if its lock is free and nobody waits
     */
    static PairPool<Condition> conditions() {
        return new PairPool<>(
            namespace -> {
                final Condition a = Condition.create(namespace);
                return new Pair<>(a, Condition.attach(a.file()));
            },
            pair -> !((RLock) pair.a().lock()).isLocked() && pair.a().waiting() == 0,
            condition -> {
                condition.close();
                ((RLock) condition.lock()).close();
            });
    }

    /**
     * @param permits the initial permits
     * @return a pool of semaphores; one comes back idle only with all its permits back
     */
    static PairPool<Semaphore> semaphores(final int permits) {
        return new PairPool<>(
            namespace -> {
                final Semaphore a = Semaphore.create(namespace, permits);
                return new Pair<>(a, Semaphore.attach(a.file()));
            },
            pair -> pair.a().availablePermits() == permits,
            Semaphore::close);
    }

    /**
     * @param permits the initial permits, and the bound
     * @return a pool of bounded semaphores; one comes back idle only with all its permits back
     */
    static PairPool<BoundedSemaphore> boundedSemaphores(final int permits) {
        return new PairPool<>(
            namespace -> {
                final BoundedSemaphore a = BoundedSemaphore.create(namespace, permits);
                return new Pair<>(a, BoundedSemaphore.attach(a.file()));
            },
            pair -> pair.a().availablePermits() == permits,
            BoundedSemaphore::close);
    }

    /**
     * An event holds nothing but its flag, and every user of the previous lease has returned, so
     * nobody waits on it: clearing it is the whole reset.
     *
     * @return a pool of events, handed out clear
     */
    static PairPool<Event> events() {
        return new PairPool<>(
            namespace -> {
                final Event a = Event.create(namespace);
                return new Pair<>(a, Event.attach(a.file()));
            },
            pair -> {
                pair.a().clear();
                return !pair.b().isSet();
            },
            Event::close);
    }

    /**
     * A barrier is cyclic: once every party of a generation has returned it is ready for the
     * next, which is also how the tests get to exercise generation after generation.
     *
     * @param parties the parties
     * @return a pool of barriers; one comes back idle only unbroken with nobody waiting
     */
    static PairPool<Barrier> barriers(final int parties) {
        return new PairPool<>(
            namespace -> {
                final Barrier a = Barrier.create(namespace, parties);
                return new Pair<>(a, Barrier.attach(a.file()));
            },
            pair -> !pair.a().isBroken() && pair.a().getNumberWaiting() == 0,
            Barrier::close);
    }
}
