package dev.mproc.benchmarks.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.sync.Lock;

/**
 * Lock hand-off latency between two JVMs: how long after the holder's {@code unlock()} the waiter's
 * {@code lock()} returns, with the waiter spinning or asleep. This is the cost a contended lock adds
 * to every critical section that another process is waiting for.
 * <p>
 * The method is C {@code handoff.c}'s, so that the figures sit beside it. The sides take turns:
 * in round r the holder waits until the waiter has announced (WAITING = r) that it is about to
 * call {@code lock()}, lingers {@value #LINGER_NANOS} ns so that the waiter is well inside its wait,
 * writes t_rel = {@code System.nanoTime()} and unlocks; the waiter writes nothing until
 * {@code lock()} returns, then takes t_acq = {@code System.nanoTime()}, reads t_rel (published to
 * it by the unlock) and records t_acq - t_rel, and says it got the lock (TURN = r). The waiter of
 * round r holds the lock in round r + 1. {@code System.nanoTime()} reads CLOCK_MONOTONIC on Linux,
 * one clock for every process, as the C program's rdtscp is one counter for every CPU; one clock
 * read (about 20 ns here) is inside each sample, as one rdtscp is inside C's.
 * <pre>
 *   body offset   0  t_rel: holder's nanoTime just before unlock (long; plain, published by unlock)
 *   body offset 128  WAITING: the round whose waiter is about to call lock() (long)
 *   body offset 256  TURN: the last round whose waiter got the lock (long)
 *   body offset 384  1 once side A holds the lock for round 1 (long)
 * </pre>
 * Two instances: {@link #spinning()} with a plain {@link Lock} handle (the default strategy: a
 * 20 us wait ends inside its adaptive spin, so the waiter is spinning, as C {@code handoff spin}'s
 * TTAS waiter is) and {@link #sleeping()} with {@code lock.withWaitStrategy(WaitStrategies.sleeping())}
 * (the waiter goes to FUTEX_WAIT at once, as C {@code handoff futex}'s Drepper mutex does). Each side
 * reports the hand-offs it received, beside the C process on the same CPU (proc0 = CPU 0 = side A).
 * <p>
 * Just before unlocking, the holder also reads the lock's announced-sleeper count: the share of
 * hand-offs whose waiter was asleep shows which case was measured. That count's place (offset 8
 * of the lock file's body) is the lock's internal layout ({@code MutexLayout.SLEEPERS_OFFSET} in
 * mproc-sync); if it moves, that informational figure goes wrong, the latencies do not.
 */
public final class LockHandoff implements Workload {
    static final long T_RELEASE = 0;
    static final long WAITING = 128;
    static final long TURN = 256;
    static final long FIRST_HELD = 384;

    /** How long the holder keeps the lock after the waiter announced itself: C run.sh's 20 us. */
    static final long LINGER_NANOS = 20_000;
    /** The announced-sleeper count in a lock file's body (mproc-sync's MutexLayout). */
    static final long LOCK_SLEEPERS_OFFSET = 8;
    /** The lock file's body layout that offset belongs to. */
    static final int LOCK_LAYOUT_VERSION = 1;

    static final String TO_A = "handoff to A";
    static final String TO_B = "handoff to B";
    static final String B_ASLEEP = "B asleep when A unlocked";
    static final String A_ASLEEP = "A asleep when B unlocked";

    private final String name;
    private final String title;
    private final Supplier<WaitStrategy> strategy;
    private final long iterations;
    private final long smokeIterations;
    private final String unit;
    private final String cPrefixA;
    private final String cPrefixB;
    private final String cLabel;
    private final Function<String, String> targets;

    private LockHandoff(
        final String name,
        final String title,
        final Supplier<WaitStrategy> strategy,
        final long iterations,
        final long smokeIterations,
        final String unit,
        final String cPrefixA,
        final String cPrefixB,
        final String cLabel,
        final Function<String, String> targets) {
        this.name = name;
        this.title = title;
        this.strategy = strategy;
        this.iterations = iterations;
        this.smokeIterations = smokeIterations;
        this.unit = unit;
        this.cPrefixA = cPrefixA;
        this.cPrefixB = cPrefixB;
        this.cLabel = cLabel;
        this.targets = targets;
    }

    /**
     * @return hand-off with the waiter spinning: a plain Lock handle, default wait strategy
     */
    public static LockHandoff spinning() {
        return new LockHandoff("lock-handoff-spin",
            "Lock hand-off between two JVMs, waiter spinning: the holder lingers 20 us after the waiter "
                + "announced itself, records System.nanoTime() and unlocks; the waiter's lock() (a plain Lock "
                + "handle, default strategy: the 20 us wait ends inside its adaptive spin) returns and it records "
                + "the time since the release. Roles swap every round. Peer: C `handoff spin` (TTAS + pause "
                + "waiter, same protocol, same 20 us), the process on the same CPU.",
            null, 5_000, 200, "ns",
            PeerKeys.C_HANDOFF_SPIN_PROC0, PeerKeys.C_HANDOFF_SPIN_PROC1, "C spin",
            statistic -> statistic.equals("p50") ? "<= 300 ns" : null);
    }

    /**
     * @return hand-off with the waiter asleep on the futex: a handle made with
     *         {@code withWaitStrategy(WaitStrategies.sleeping())}
     */
    public static LockHandoff sleeping() {
        return new LockHandoff("lock-handoff-sleep",
            "Lock hand-off between two JVMs, waiter asleep: as lock-handoff-spin, but each side's handle is "
                + "lock.withWaitStrategy(WaitStrategies.sleeping()), so the waiter announces itself and goes to "
                + "FUTEX_WAIT at once, and unlock() wakes it with FUTEX_WAKE. Peer: C `handoff futex` (Drepper "
                + "mutex, no spin, same protocol, same 20 us), the process on the same CPU.",
            WaitStrategies::sleeping, 2_000, 100, "us",
            PeerKeys.C_HANDOFF_FUTEX_PROC0, PeerKeys.C_HANDOFF_FUTEX_PROC1, "C futex",
            statistic -> statistic.equals("p50") ? "<= 1.2x C (x vs C >= 0.83)" : null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? smokeIterations : iterations;
    }

    @Override
    public String iterationUnit() {
        return "hand-offs to each side";
    }

    @Override
    public List<Figure> figures() {
        final List<Figure> figures = new ArrayList<>();
        figures.addAll(LatencyFigures.figures(TO_A, unit, Better.LOWER, targets,
            statistic -> List.of(PeerRef.cLimit(cPrefixA + statistic, cLabel + " proc0 " + statistic))));
        figures.addAll(LatencyFigures.figures(TO_B, unit, Better.LOWER, targets,
            statistic -> List.of(PeerRef.cLimit(cPrefixB + statistic, cLabel + " proc1 " + statistic))));
        figures.add(Figure.info(B_ASLEEP, "% of hand-offs"));
        figures.add(Figure.info(A_ASLEEP, "% of hand-offs"));
        return figures;
    }

    @Override
    public void runSide(final SideContext context) {
        final MappedRegion region = context.region();
        final int me = context.side();
        final Lock shared = Lock.create(context.namespace(), "lock");
        final Lock lock = strategy == null ? shared : shared.withWaitStrategy(strategy.get());
        if (lock != shared) {
            shared.close();
        }
        try (lock; MappedRegion lockFile = MappedRegion.attach(lock.file(), Lock.KIND, LOCK_LAYOUT_VERSION)) {
            // Side A holds the lock for round 1; B must not announce itself before that.
            if (me == 0) {
                lock.lock();
                region.putLongRelease(FIRST_HELD, 1);
            } else {
                while (region.getLongAcquire(FIRST_HELD) != 1) {
                    Thread.onSpinWait();
                }
            }
            final Histogram histogram = LatencyFigures.newHistogram();
            final long n = context.iterations();
            long round = 0;
            for (int run = -context.warmups(); run < context.runs(); run++) {
                histogram.reset();
                final int peerAsleep = runRounds(region, lockFile, lock, me, round, 2 * n, histogram);
                round += 2 * n;
                if (run >= 0) {
                    LatencyFigures.record(context, run, me == 0 ? TO_A : TO_B, unit, histogram);
                    context.record(run, me == 0 ? B_ASLEEP : A_ASLEEP, 100.0 * peerAsleep / n);
                }
            }
            // An even number of rounds: side A received the last hand-off and holds the lock.
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /**
     * Plays rounds {@code first + 1 ... first + count}, holding in odd rounds if side A, even if B.
     *
     * @return in how many of the rounds this side held, the waiter was announced asleep at unlock
     */
    private static int runRounds(
        final MappedRegion region,
        final MappedRegion lockFile,
        final Lock lock,
        final int me,
        final long first,
        final long count,
        final Histogram histogram) {
        int peerAsleep = 0;
        for (long r = first + 1; r <= first + count; r++) {
            final int holder = (int) ((r - 1) & 1);
            if (holder == me) {
                peerAsleep += hold(region, lockFile, lock, r);
            } else {
                LatencyFigures.recordNanos(histogram, await(region, lock, r));
            }
        }
        return peerAsleep;
    }

    /** The holder's part of round r; returns 1 if the waiter was asleep when the lock was released. */
    private static int hold(final MappedRegion region, final MappedRegion lockFile, final Lock lock, final long r) {
        while (region.getLongAcquire(WAITING) != r) {
            Thread.onSpinWait();
        }
        final long announced = System.nanoTime();
        while (System.nanoTime() - announced < LINGER_NANOS) {
            Thread.onSpinWait();
        }
        final int asleep = lockFile.getIntVolatile(LOCK_SLEEPERS_OFFSET) > 0 ? 1 : 0;
        // Plain store: unlock() publishes it to whoever acquires next.
        region.putLong(T_RELEASE, System.nanoTime());
        lock.unlock();
        while (region.getLongAcquire(TURN) != r) {
            Thread.onSpinWait();
        }
        return asleep;
    }

    /** The waiter's part of round r; returns the hand-off latency in nanoseconds. */
    private static long await(final MappedRegion region, final Lock lock, final long r) {
        region.putLongRelease(WAITING, r);
        lock.lock();
        final long acquired = System.nanoTime();
        final long released = region.getLong(T_RELEASE);
        region.putLongRelease(TURN, r);
        return acquired - released;
    }
}
