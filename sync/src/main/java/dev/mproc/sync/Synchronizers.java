package dev.mproc.sync;

import java.util.Objects;

import dev.mproc.core.Namespace;

/**
 * The synchronisation objects of one namespace: the factory the {@code Mproc} facade delegates
 * to, and the one to use without it.
 * <p>
 * Each method has two forms: without a name it creates a new object with a generated name; with
 * a name it creates the object, or attaches to the existing one of that name and kind, so that
 * unrelated processes that open the same named namespace find each other's objects. (The
 * namespace type lives in {@code core}, which cannot depend on this module; hence this class.)
 */
public final class Synchronizers {
    private final Namespace namespace;

    private Synchronizers(final Namespace namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /**
     * @param namespace where the objects' files live
     * @return the factory for that namespace
     */
    public static Synchronizers in(final Namespace namespace) {
        return new Synchronizers(namespace);
    }

    /** @return the namespace the objects live in */
    public Namespace namespace() {
        return namespace;
    }

    /** @return a new {@link Lock} */
    public Lock lock() {
        return Lock.create(namespace);
    }

    /** @param name the lock's name @return the {@link Lock} of that name, created if absent */
    public Lock lock(final String name) {
        return Lock.create(namespace, name);
    }

    /** @return a new {@link RLock} */
    public RLock rlock() {
        return RLock.create(namespace);
    }

    /** @param name the lock's name @return the {@link RLock} of that name, created if absent */
    public RLock rlock(final String name) {
        return RLock.create(namespace, name);
    }

    /** @return a new {@link Condition} with its own new {@link RLock} */
    public Condition condition() {
        return Condition.create(namespace);
    }

    /** @param lock the {@link Lock} or {@link RLock} to bind to @return a new {@link Condition} */
    public Condition condition(final java.util.concurrent.locks.Lock lock) {
        return Condition.create(namespace, lock);
    }

    /**
     * @param name the condition's name
     * @param lock the lock to bind to if the condition is created
     * @return the {@link Condition} of that name, created if absent
     */
    public Condition condition(final String name, final java.util.concurrent.locks.Lock lock) {
        return Condition.create(namespace, name, lock);
    }

    /** @param permits the initial permits, at least 0 @return a new {@link Semaphore} */
    public Semaphore semaphore(final int permits) {
        return Semaphore.create(namespace, permits);
    }

    /**
     * @param name    the semaphore's name
     * @param permits the initial permits if it is created
     * @return the {@link Semaphore} of that name, created if absent
     */
    public Semaphore semaphore(final String name, final int permits) {
        return Semaphore.create(namespace, name, permits);
    }

    /** @param permits the initial permits and bound, at least 0 @return a new {@link BoundedSemaphore} */
    public BoundedSemaphore boundedSemaphore(final int permits) {
        return BoundedSemaphore.create(namespace, permits);
    }

    /**
     * @param name    the semaphore's name
     * @param permits the initial permits and bound (must match an existing semaphore's)
     * @return the {@link BoundedSemaphore} of that name, created if absent
     */
    public BoundedSemaphore boundedSemaphore(final String name, final int permits) {
        return BoundedSemaphore.create(namespace, name, permits);
    }

    /** @return a new, clear {@link Event} */
    public Event event() {
        return Event.create(namespace);
    }

    /** @param name the event's name @return the {@link Event} of that name, created clear if absent */
    public Event event(final String name) {
        return Event.create(namespace, name);
    }

    /** @param parties how many parties trip it, at least 1 @return a new {@link Barrier} */
    public Barrier barrier(final int parties) {
        return Barrier.create(namespace, parties);
    }

    /**
     * @param name    the barrier's name
     * @param parties how many parties trip it (must match an existing barrier's)
     * @return the {@link Barrier} of that name, created if absent
     */
    public Barrier barrier(final String name, final int parties) {
        return Barrier.create(namespace, name, parties);
    }
}
