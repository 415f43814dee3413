package dev.mproc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.core.Futex;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

import static dev.mproc.sync.BarrierLayout.OUTCOME_BROKEN;
import static dev.mproc.sync.BarrierLayout.OUTCOME_NONE;
import static dev.mproc.sync.BarrierLayout.OUTCOME_TRIPPED;
import static dev.mproc.sync.BarrierLayout.STATE_OFFSET;
import static dev.mproc.sync.BarrierLayout.arrivals;
import static dev.mproc.sync.BarrierLayout.entryGeneration;
import static dev.mproc.sync.BarrierLayout.entryOutcome;
import static dev.mproc.sync.BarrierLayout.generation;
import static dev.mproc.sync.BarrierLayout.outcomeEntry;
import static dev.mproc.sync.BarrierLayout.outcomeOffset;
import static dev.mproc.sync.BarrierLayout.previousBroke;

/**
 * A cyclic barrier shared by processes: Python's {@code multiprocessing.Barrier}, with the
 * behaviour of {@link java.util.concurrent.CyclicBarrier} (without a barrier action). A fixed
 * number of parties call {@link #await()}; each waits until all have arrived, then all are
 * released together and the barrier is ready for the next round (generation). {@code await}
 * returns the arrival index: {@code getParties() - 1} for the first to arrive, 0 for the last.
 * <p>
 * <b>Breaking.</b> If a waiting party times out or is interrupted, the generation breaks: every
 * party waiting in it throws {@link BrokenBarrierException}, the one that timed out throws
 * {@link TimeoutException} and the interrupted one {@link InterruptedException}. A broken barrier
 * stays broken (every {@code await} throws {@code BrokenBarrierException} at once) until
 * {@link #reset()}. {@link #abort()} breaks it on purpose, as Python's {@code Barrier.abort()}.
 * {@link #reset()} breaks the current generation for whoever is waiting in it and starts a fresh,
 * unbroken one. A party that is interrupted or times out just as the generation trips returns
 * normally (keeping its interrupt status), as with {@code CyclicBarrier}.
 * <p>
 * <b>Late wakers.</b> A waiting party learns how its generation ended from the state if it wakes
 * within one generation, and otherwise from a ring of the last 64 generations' outcomes. A party
 * that has not run for so long that more than 64 further generations ended meanwhile (possible
 * only with more threads than parties, or with repeated resets) cannot tell whether its
 * generation tripped, and throws {@link BrokenBarrierException} saying so rather than guess that
 * everyone met.
 * <p>
 * <b>Not robust against death.</b> A barrier cannot tell a slow party from a dead one. A party
 * whose process dies before it arrives leaves the others waiting for it until one of them times
 * out (which breaks the barrier) or someone calls {@link #reset()} or {@link #abort()}. A party
 * that dies while waiting has already been counted, so its generation still trips, but it will be
 * missing from the next one, which then waits in the same way. Use the timed {@code await} where
 * parties may die.
 * <p>
 * A {@code Barrier} is a small serialisable handle: a task that captures it attaches to the same
 * barrier file in the process that runs it.
 * <p>
 * Memory consistency effects: actions in a thread (of any process) prior to calling
 * {@code await()} <i>happen-before</i> actions following a successful return from the
 * corresponding {@code await()} in the other parties, whatever process they run in.
 */
/*
 * Algorithm. One 64-bit state word (see BarrierLayout), changed only by CAS:
 *
 *   generation (32) | B: broken | P: previous generation broke | arrivals (30)
 *
 * Arrive: CAS arrivals a -> a + 1; the arrival index is parties - 1 - a. The arrival that would
 * make arrivals == parties instead CASes the state to (generation + 1, P = 0, arrivals 0): that
 * CAS is the trip, and it returns 0 without waiting. A broken state refuses arrivals.
 *
 * Wait: until the state's generation differs from the waiter's, or the state is broken. Waiters
 * sleep on a separate wake word; whoever ends or breaks a generation CASes the state (volatile,
 * so visible before the sleeper count is read) and then signalAll()s the wake word. Arrivals that
 * do not trip change nothing a waiter waits for and wake no one.
 *
 * Break (timeout, interrupt, abort): CAS (g, unbroken) -> (g, broken, arrivals 0). Only a party
 * whose own generation is still current and unbroken can break it, so a timeout that races with
 * the trip either breaks the generation (TimeoutException) or finds it tripped (normal return).
 * Reset: CAS (g, any) -> (g + 1, P = 1, arrivals 0).
 *
 *        arrive (not last)            arrive (last): trip        reset
 *   (g, a) ----------------> (g, a+1)   (g, p-1) --> (g+1, P=0)   (g, any) --> (g+1, P=1)
 *   (g, a) -- timeout / interrupt / abort --> (g, B)   (refuses arrivals until reset)
 *
 * Outcome of a waiter's generation g, once the wait is over:
 *   state generation == g      : it broke (B is set)
 *   state generation == g + 1  : P says how g ended
 *   later                      : the ring entry for g
 * Ring entries are written by a monotone CAS (an entry is only replaced by a newer generation's),
 * by whoever ends generation g, right after its CAS; and, before any CAS that ends generation
 * g + 1, by the ender of g + 1 from the P bit it read. So by the time the state shows g + 2, the
 * entry for g is in place, even if g's own ender has not got round to writing it: no waiter ever
 * waits for the ring. The ring holds 64 generations; an entry already reused for a later
 * generation means the outcome is lost, reported as broken.
 *
 * Happens-before: every arrival is a CAS on the state, so the tripping CAS comes after all of
 * them in the state's modification order, and each released waiter reads the state (volatile)
 * after that CAS.
 */
public final class Barrier implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a barrier file. */
    public static final RegionKind KIND = RegionKind.of("BARR");

    private final String file;
    private final transient MappedRegion region;
    private final transient WaitWord wake;
    private final transient WaitStrategy strategy;
    private final transient int parties;

    private Barrier(final MappedRegion region, final WaitStrategy strategy) {
        this.file = region.file().toString();
        this.region = region;
        this.wake = new WaitWord(region.segment(), BarrierLayout.WAKE_OFFSET, BarrierLayout.SLEEPERS_OFFSET,
            Futex.system());
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
        // Written before the region was published and never changed: a plain read is enough.
        this.parties = region.getInt(BarrierLayout.PARTIES_OFFSET);
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            region.close();
            throw new IllegalStateException(file + ": corrupt barrier: parties=" + parties);
        }
    }

    /**
     * @param namespace where the barrier file goes
     * @param parties   how many parties must arrive to trip it, at least 1
     * @return a new barrier with a generated name
     * @throws IllegalArgumentException if {@code parties} is out of range
     */
    public static Barrier create(final Namespace namespace, final int parties) {
        checkParties(parties);
        return new Barrier(namespace.createRegion(namespace.uniqueName("barrier"), KIND, BarrierLayout.LAYOUT_VERSION,
            BarrierLayout.LENGTH, region -> region.putInt(BarrierLayout.PARTIES_OFFSET, parties)), null);
    }

    /**
     * @param namespace where the barrier file goes
     * @param name      the barrier's name in the namespace
     * @param parties   how many parties must arrive to trip it, at least 1
     * @return the barrier of that name, created if absent
     * @throws IllegalArgumentException if {@code parties} is out of range, or if a barrier of that
     *                                  name exists with another number of parties
     */
    public static Barrier create(final Namespace namespace, final String name, final int parties) {
        checkParties(parties);
        final MappedRegion region = namespace.createOrAttachRegion(name, KIND, BarrierLayout.LAYOUT_VERSION,
            BarrierLayout.LENGTH, r -> r.putInt(BarrierLayout.PARTIES_OFFSET, parties));
        final int existing = region.getInt(BarrierLayout.PARTIES_OFFSET);
        if (existing != parties) {
            region.close();
            throw new IllegalArgumentException("Barrier " + region.file() + " exists with another number of parties: "
                + "existing=" + existing + " parties=" + parties);
        }
        return new Barrier(region, null);
    }

    /**
     * @param file a barrier file
     * @return a handle on that barrier
     */
    public static Barrier attach(final Path file) {
        return new Barrier(MappedRegion.attach(Objects.requireNonNull(file, "file"), KIND,
            BarrierLayout.LAYOUT_VERSION), null);
    }

    private static void checkParties(final int parties) {
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            throw new IllegalArgumentException("parties out of range: parties=" + parties + " min=1 max="
                + BarrierLayout.MAX_PARTIES);
        }
    }

    /**
     * A second handle on the same barrier whose blocking calls wait with {@code strategy}.
     * Handles are not serialised with their strategy: a deserialised handle uses the default.
     *
     * @param strategy how waiting parties of the new handle wait
     * @return a new handle on this barrier
     */
    public Barrier withWaitStrategy(final WaitStrategy strategy) {
        return new Barrier(MappedRegion.attach(Path.of(file), KIND, BarrierLayout.LAYOUT_VERSION),
            Objects.requireNonNull(strategy, "strategy"));
    }

    // ---------------------------------------------------------------------------------------------
    // Waiting
    // ---------------------------------------------------------------------------------------------

    /**
     * Arrives and waits until all parties have arrived.
     *
     * @return the arrival index: {@code getParties() - 1} for the first to arrive, 0 for the last
     * @throws InterruptedException   if interrupted before or while waiting (the barrier breaks)
     * @throws BrokenBarrierException if the barrier is broken on arrival, or breaks or is reset
     *                                while waiting
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitTrip(false, 0);
        } catch (final TimeoutException e) {
            throw new AssertionError("an untimed barrier wait timed out", e);
        }
    }

    /**
     * Arrives and waits, at most {@code timeout}, until all parties have arrived. A timeout
     * breaks the barrier for every party.
     *
     * @param timeout how long to wait at most
     * @param unit    the unit of {@code timeout}
     * @return the arrival index: {@code getParties() - 1} for the first to arrive, 0 for the last
     * @throws InterruptedException   if interrupted before or while waiting (the barrier breaks)
     * @throws BrokenBarrierException if the barrier is broken on arrival, or breaks or is reset
     *                                while waiting
     * @throws TimeoutException       if the timeout passed first (the barrier breaks)
     */
    public int await(final long timeout, final TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitTrip(true, Math.max(0, unit.toNanos(timeout)));
    }

    private int awaitTrip(final boolean timed, final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
        long s = readState();
        if (BarrierLayout.isBroken(s)) {
            throw brokenOnArrival(s);
        }
        if (Thread.interrupted()) {
            // As CyclicBarrier: the interrupted party will not arrive, so the others would wait
            // for it forever.
            breakGeneration(generation(s));
            throw new InterruptedException();
        }
        // Arrive.
        final int generation;
        final int index;
        while (true) {
            if (BarrierLayout.isBroken(s)) {
                throw brokenOnArrival(s);
            }
            final int arrived = arrivals(s);
            if (arrived + 1 == parties) {
                if (endGeneration(s, false)) {
                    return 0;
                }
            } else if (region.compareAndSetLong(STATE_OFFSET, s, s + 1)) {
                generation = generation(s);
                index = parties - 1 - arrived;
                break;
            }
            s = readState();
        }
        // Wait for the generation to end or break.
        final WaitCondition over = () -> {
            final long now = readState();
            return generation(now) != generation || BarrierLayout.isBroken(now);
        };
        boolean ended;
        try {
            ended = strategy.await(wake, over, timed ? timeoutNanos : WaitStrategy.FOREVER, true);
            while (!ended && !timed) {
                // FOREVER is some centuries, not infinity: an untimed wait only ends with the condition.
                ended = strategy.await(wake, over, WaitStrategy.FOREVER, true);
            }
        } catch (final InterruptedException e) {
            if (breakGeneration(generation)) {
                throw e;
            }
            // The generation ended first: report how, and keep the interrupt for later.
            Thread.currentThread().interrupt();
            return outcome(generation, index);
        }
        if (!ended && breakGeneration(generation)) {
            throw new TimeoutException("Barrier " + file + ": timed out after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms in generation " + generation
                + " waiting for parties: parties=" + parties + "; the barrier is now broken");
        }
        return outcome(generation, index);
    }

    /**
     * @return the waiter's index if its generation tripped
     * @throws BrokenBarrierException if it broke (or was reset), or its outcome is no longer known
     */
    private int outcome(final int generation, final int index) throws BrokenBarrierException {
        final long s = readState();
        final int current = generation(s);
        final int outcome;
        if (current == generation) {
            // Still our generation, and the wait is over: it broke.
            if (!BarrierLayout.isBroken(s)) {
                throw new IllegalStateException("Barrier " + file + ": generation " + generation
                    + " neither tripped nor broke");
            }
            outcome = OUTCOME_BROKEN;
        } else if (current == generation + 1) {
            outcome = previousBroke(s) ? OUTCOME_BROKEN : OUTCOME_TRIPPED;
        } else {
            final long entry = region.getLongVolatile(outcomeOffset(generation));
            if (entryGeneration(entry) != generation || entryOutcome(entry) == OUTCOME_NONE) {
                throw new BrokenBarrierException("Barrier " + file + ": the outcome of generation " + generation
                    + " is no longer known: the barrier is at generation " + current + ", more than "
                    + BarrierLayout.RING_ENTRIES + " generations later");
            }
            outcome = entryOutcome(entry);
        }
        if (outcome == OUTCOME_BROKEN) {
            throw new BrokenBarrierException("Barrier " + file + ": generation " + generation
                + " was broken or reset while waiting");
        }
        return index;
    }

    // ---------------------------------------------------------------------------------------------
    // State changes
    // ---------------------------------------------------------------------------------------------

    /**
     * Ends the generation of {@code s} (trip or reset) if the state is still {@code s}.
     *
     * @return false if the state changed meanwhile
     */
    private boolean endGeneration(final long s, final boolean broke) {
        final int generation = generation(s);
        // Before the generation number can pass generation + 1, the previous generation's
        // outcome (held by P until this CAS replaces it) must be in the ring.
        publishOutcome(generation - 1, previousBroke(s) ? OUTCOME_BROKEN : OUTCOME_TRIPPED);
        if (!region.compareAndSetLong(STATE_OFFSET, s, BarrierLayout.state(generation + 1, false, broke, 0))) {
            return false;
        }
        publishOutcome(generation, broke ? OUTCOME_BROKEN : OUTCOME_TRIPPED);
        // The CAS is volatile: the new state is visible before signalAll reads the sleeper count.
        wake.signalAll();
        return true;
    }

    /**
     * Breaks {@code generation} if it is current and unbroken.
     *
     * @return true if this call broke it
     */
    private boolean breakGeneration(final int generation) {
        while (true) {
            final long s = readState();
            if (generation(s) != generation || BarrierLayout.isBroken(s)) {
                return false;
            }
            final long broken = BarrierLayout.state(generation, true, previousBroke(s), 0);
            if (region.compareAndSetLong(STATE_OFFSET, s, broken)) {
                wake.signalAll();
                return true;
            }
        }
    }

    /** Records how {@code generation} ended, unless a newer generation already has the entry. */
    private void publishOutcome(final int generation, final int outcome) {
        final long offset = outcomeOffset(generation);
        final long wanted = outcomeEntry(generation, outcome);
        long entry = region.getLongVolatile(offset);
        // Wrap-safe: generation numbers are compared by their difference.
        while (entryOutcome(entry) == OUTCOME_NONE || entryGeneration(entry) - generation < 0) {
            final long witness = region.compareAndExchangeLong(offset, entry, wanted);
            if (witness == entry) {
                return;
            }
            entry = witness;
        }
    }

    /**
     * Breaks the current generation for whoever waits in it ({@link BrokenBarrierException}) and
     * starts a fresh, unbroken one; also the way to repair a broken barrier. As with
     * {@link java.util.concurrent.CyclicBarrier#reset()}, parties that arrive meanwhile may land
     * in either generation, so reset a barrier in use only when they agree to.
     */
    public void reset() {
        while (!endGeneration(readState(), true)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Breaks the barrier: every party waiting now, and every party that arrives until
     * {@link #reset()}, gets {@link BrokenBarrierException}. Python's {@code Barrier.abort()}.
     * Does nothing if it is already broken.
     */
    public void abort() {
        while (true) {
            final long s = readState();
            if (BarrierLayout.isBroken(s)) {
                return;
            }
            final long broken = BarrierLayout.state(generation(s), true, previousBroke(s), 0);
            if (region.compareAndSetLong(STATE_OFFSET, s, broken)) {
                wake.signalAll();
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Queries
    // ---------------------------------------------------------------------------------------------

    /**
     * @return true if the current generation is broken (by a timeout, an interrupt or
     *         {@link #abort()}) and not yet {@link #reset()}
     */
    public boolean isBroken() {
        return BarrierLayout.isBroken(readState());
    }

    /**
     * @return how many parties must arrive to trip the barrier
     */
    public int getParties() {
        return parties;
    }

    /**
     * @return how many parties (in any process) have arrived in the current generation and are
     *         waiting; 0 if it is broken
     */
    public int getNumberWaiting() {
        final long s = readState();
        return BarrierLayout.isBroken(s) ? 0 : arrivals(s);
    }

    /**
     * @return the barrier's file
     */
    public Path file() {
        return Path.of(file);
    }

    private long readState() {
        return region.getLongVolatile(STATE_OFFSET);
    }

    private BrokenBarrierException brokenOnArrival(final long s) {
        return new BrokenBarrierException("Barrier " + file + " is broken (generation " + generation(s)
            + "): reset() it first");
    }

    /** Unmaps the barrier in this process; the barrier itself lives on for other processes. */
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
        final long s = readState();
        return "Barrier[" + file + ", parties " + parties + ", generation " + generation(s)
            + (BarrierLayout.isBroken(s) ? ", broken" : ", waiting " + arrivals(s)) + "]";
    }
}
