package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * A flag shared by processes that threads can wait for: Python's {@code multiprocessing.Event}.
 * It starts clear; {@link #set()} raises it and releases every thread waiting in
 * {@link #await()}; while it is set, {@code await} returns at once; {@link #clear()} lowers it
 * again. Unlike a {@link java.util.concurrent.CountDownLatch} it can be reused.
 * <p>
 * A waiter released by a {@code set()} returns even if a {@code clear()} follows before it gets
 * to run: waiting is for the event to have happened, not for the flag to be up at the moment the
 * waiter looks. Blocking forms are interruptible; an interrupted thread throws even if the flag is
 * set, as {@link java.util.concurrent.CountDownLatch#await()} does.
 * <p>
 * An event has no owner and holds nothing: a process that dies leaves it as it was, set or clear.
 * <p>
 * An {@code Event} is a small serialisable handle: a task that captures it attaches to the same
 * event file in the process that runs it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) prior to calling
 * {@code set()} <i>happen-before</i> actions following a return from {@code await()} (or a
 * {@code true} return from {@code await(long, TimeUnit)} or {@code isSet()}) in another thread of
 * any process that observed that set.
 */
/*
 * Algorithm. The state word (see EventLayout) is the flag plus a count of sets, and is the futex
 * word.
 *
 * set(): if the flag is down, CAS it to (count + 1, flag up): a volatile write, globally visible
 * before the sleeper count is read; then wake every sleeper. If the flag was already up, nothing
 * changes and nobody can be waiting for this set.
 *
 * clear(): CAS the flag down, keeping the count. No wake-up: nobody waits for a clear.
 *
 * await(): read the word w. If the flag is up, done. Otherwise wait until the word differs from w:
 * only a set can change a word whose flag is down (clear leaves it alone), so any difference
 * means a set happened after w was read. The count wraps after 2^31 sets; a waiter would miss a
 * set only if exactly 2^31 set/clear pairs ran between two of its checks.
 */
public final class Event implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of an event file. */
    public static final RegionKind KIND = RegionKind.of("EVNT");

    private final String file;
    private final transient MappedRegion region;
    private final transient WaitWord state;
    private final transient WaitStrategy strategy;

    private Event(final MappedRegion region, final WaitStrategy strategy) {
        this.file = region.file().toString();
        this.region = region;
        this.state = new WaitWord(region.segment(), EventLayout.STATE_OFFSET, EventLayout.SLEEPERS_OFFSET,
            Futex.system());
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
    }

    /**
     * @param namespace where the event file goes
     * @return a new, clear event with a generated name
     */
    public static Event create(final Namespace namespace) {
        return new Event(namespace.createRegion(namespace.uniqueName("event"), KIND, EventLayout.LAYOUT_VERSION,
            EventLayout.LENGTH, region -> { }), null);
    }

    /**
     * @param namespace where the event file goes
     * @param name      the event's name in the namespace
     * @return the event of that name, created clear if absent
     */
    public static Event create(final Namespace namespace, final String name) {
        return new Event(namespace.createOrAttachRegion(name, KIND, EventLayout.LAYOUT_VERSION,
            EventLayout.LENGTH, region -> { }), null);
    }

    /**
     * @param file an event file
     * @return a handle on that event
     */
    public static Event attach(final Path file) {
        return new Event(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND, EventLayout.LAYOUT_VERSION),
            null);
    }

    /**
     * A second handle on the same event whose blocking calls wait with {@code strategy}. Handles
     * are not serialised with their strategy: a deserialised handle uses the default.
     *
     * @param strategy how blocked callers of the new handle wait
     * @return a new handle on this event
     */
    public Event withWaitStrategy(final WaitStrategy strategy) {
        return new Event(MappedRegion.attach(Path.of(file), KIND, EventLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    /** Raises the flag and releases every waiting thread; does nothing if it is already set. */
    public void set() {
        int current = state.get();
        while (!EventLayout.isSet(current)) {
            // Volatile CAS: the raised flag is visible before wakeAll reads the sleeper count.
            final int witness = region.compareAndExchangeInt(EventLayout.STATE_OFFSET, current,
                EventLayout.raised(current));
            if (witness == current) {
                state.wakeAll();
                return;
            }
            current = witness;
        }
    }

    /** Lowers the flag; threads that call {@link #await()} from now on wait for the next set. */
    public void clear() {
        int current = state.get();
        while (EventLayout.isSet(current)) {
            final int witness = region.compareAndExchangeInt(EventLayout.STATE_OFFSET, current,
                EventLayout.lowered(current));
            if (witness == current) {
                return;
            }
            current = witness;
        }
    }

    /**
     * @return true if the flag is up now
     */
    public boolean isSet() {
        return EventLayout.isSet(state.get());
    }

    /**
     * Waits until the flag is set: returns at once if it is up, otherwise when the next
     * {@link #set()} happens.
     *
     * @throws InterruptedException if interrupted before or while waiting
     */
    public void await() throws InterruptedException {
        awaitSet(WaitStrategy.FOREVER);
    }

    /**
     * Waits until the flag is set, at most {@code timeout}: Python's {@code Event.wait(timeout)}.
     *
     * @param timeout how long to wait at most
     * @param unit    the unit of {@code timeout}
     * @return true if the flag was up or a set happened in time, false if the timeout passed first
     * @throws InterruptedException if interrupted before or while waiting
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException {
        return awaitSet(Math.max(0, unit.toNanos(timeout)));
    }

    private boolean awaitSet(final long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        final int seen = state.get();
        if (EventLayout.isSet(seen)) {
            return true;
        }
        // Acquire read: pairs with the setter's CAS, so its earlier writes are visible on return.
        return strategy.await(state, () -> state.getAcquire() != seen, timeoutNanos, true);
    }

    /**
     * @return the event's file
     */
    public Path file() {
        return Path.of(file);
    }

    /** Unmaps the event in this process; the event itself lives on for other processes. */
    @Override
    public void close() {
        region.close();
    }

    @Serial
    private Object readResolve() {
        return attach(Path.of(file));
    }

    @Override
    public String toString() {
        return "Event[" + file + (isSet() ? ", set" : ", clear") + "]";
    }
}
