package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Barrier;
import dev.mproc.sync.Condition;
import dev.mproc.sync.Event;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.sync.Semaphore;

/**
 * One of each blocking sync type, under fixed names in one namespace: the parent of
 * {@link InterruptAcrossJvmsTest} and {@link TimedCallsAcrossJvmsTest} creates them, and
 * {@link BlockingCallChild} attaches to them by those names.
 * <p>
 * The condition is bound to an {@link RLock} of its own, so that a waiter can hold it twice and
 * check that {@code await} gives back both holds, also when it ends by interrupt or timeout.
 */
final class SyncObjects implements AutoCloseable {
    /** Permits the semaphore starts with: the parent takes the one, and waiters block. */
    static final int SEMAPHORE_PERMITS = 1;

    private final Lock lock;
    private final RLock rlock;
    private final Condition condition;
    private final Semaphore semaphore;
    private final Event event;
    private final Barrier barrier;

    private SyncObjects(final Lock lock, final RLock rlock, final Condition condition, final Semaphore semaphore,
                        final Event event, final Barrier barrier) {
        this.lock = lock;
        this.rlock = rlock;
        this.condition = condition;
        this.semaphore = semaphore;
        this.event = event;
        this.barrier = barrier;
    }

    /**
     * @param namespace      where to create them
     * @param barrierParties the barrier's parties
     * @return new objects: locks free, semaphore at {@link #SEMAPHORE_PERMITS}, event clear
     */
    static SyncObjects create(final Namespace namespace, final int barrierParties) {
        final RLock conditionLock = RLock.create(namespace, "conditionLock");
        return new SyncObjects(Lock.create(namespace, "lock"), RLock.create(namespace, "rlock"),
            Condition.create(namespace, "condition", conditionLock), Semaphore.create(namespace, "semaphore", SEMAPHORE_PERMITS),
            Event.create(namespace, "event"), Barrier.create(namespace, "barrier", barrierParties));
    }

    /**
     * @param namespace the namespace the parent created them in
     * @return handles on them; the condition's lock is the one recorded in the condition's file
     */
    static SyncObjects attach(final Namespace namespace) {
        return new SyncObjects(Lock.attach(namespace.pathOf("lock")), RLock.attach(namespace.pathOf("rlock")),
            Condition.attach(namespace.pathOf("condition")), Semaphore.attach(namespace.pathOf("semaphore")),
            Event.attach(namespace.pathOf("event")), Barrier.attach(namespace.pathOf("barrier")));
    }

    Lock lock() {
        return lock;
    }

    RLock rlock() {
        return rlock;
    }

    Condition condition() {
        return condition;
    }

    RLock conditionLock() {
        return (RLock) condition.lock();
    }

    Semaphore semaphore() {
        return semaphore;
    }

    Event event() {
        return event;
    }

    Barrier barrier() {
        return barrier;
    }

    /**
     * @param kind which object
     * @return the file its waiters sleep on
     */
    Path fileOf(final Call.Target kind) {
        return switch (kind) {
            case LOCK -> lock.file();
            case RLOCK -> rlock.file();
            case CONDITION -> condition.file();
            case SEMAPHORE -> semaphore.file();
            case EVENT -> event.file();
            case BARRIER -> barrier.file();
        };
    }

    @Override
    public void close() {
        lock.close();
        rlock.close();
        conditionLock().close();
        condition.close();
        semaphore.close();
        event.close();
        barrier.close();
    }
}
