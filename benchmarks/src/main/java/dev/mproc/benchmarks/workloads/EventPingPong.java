package dev.mproc.benchmarks.workloads;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;
import dev.mproc.sync.Event;

/**
 * Ping-pong between two JVMs through two {@link Event}s with the default wait strategy: what a
 * signal-and-wait through the public Event API costs when the other process answers at once.
 * <p>
 * Side A: {@code ping.set(); pong.await(); pong.clear()}, timed as one round trip. Side B:
 * {@code ping.await(); ping.clear(); pong.set()}. Each side clears the event it waited for right
 * after waking and before it signals, so a clear can never erase the next set: the other side sets
 * that event again only after it has seen this side's answer, which comes after the clear. (Event's
 * own guarantee covers the other order too: a waiter released by a set returns even if a clear
 * comes first.) Both events are files of their own in the workload's namespace; the data region is
 * unused.
 * <p>
 * Right after each {@code set()} the signalling side also reads the event's announced-sleeper
 * count, the share of round trips whose waiter had gone to the futex. That count's place (offset 4
 * of the event file's body) is Event's internal layout ({@code EventLayout.SLEEPERS_OFFSET} in
 * mproc-sync); if it moves, that informational figure goes wrong, the round trips do not.
 */
public final class EventPingPong implements Workload {
    /** The announced-sleeper count in an event file's body (mproc-sync's EventLayout). */
    static final long EVENT_SLEEPERS_OFFSET = 4;
    /** The event file's body layout that offset belongs to. */
    static final int EVENT_LAYOUT_VERSION = 1;

    static final String B_ASLEEP = "B asleep at ping";
    static final String A_ASLEEP = "A asleep at pong";

    @Override
    public String name() {
        return "event-pingpong";
    }

    @Override
    public String title() {
        return "Round trip between two JVMs through two dev.mproc.sync.Events, default strategy, peer active: "
            + "A does ping.set(); pong.await(); pong.clear(), B does ping.await(); ping.clear(); pong.set(). "
            + "Peer: C pingpong_futex spin-then-park (spin about 27 us, then FUTEX_WAIT; wake only if flagged).";
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 5_000 : 100_000;
    }

    @Override
    public String iterationUnit() {
        return "round trips";
    }

    @Override
    public List<Figure> figures() {
        final List<Figure> figures = new ArrayList<>(LatencyFigures.figures("rtt", "us", Better.LOWER,
            statistic -> statistic.equals("p50") ? "<= 1 us (default blocking calls)" : null,
            statistic -> List.of(PeerRef.cLimit(PeerKeys.C_FUTEX_SPIN_THEN_PARK_RTT + statistic,
                "C spin-then-futex " + statistic))));
        figures.add(Figure.info(B_ASLEEP, "% of round trips"));
        figures.add(Figure.info(A_ASLEEP, "% of round trips"));
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws InterruptedException {
        try (Event ping = Event.create(context.namespace(), "ping");
             Event pong = Event.create(context.namespace(), "pong");
             MappedRegion pingFile = MappedRegion.attach(ping.file(), Event.KIND, EVENT_LAYOUT_VERSION);
             MappedRegion pongFile = MappedRegion.attach(pong.file(), Event.KIND, EVENT_LAYOUT_VERSION)) {
            final long n = context.iterations();
            if (context.side() == 0) {
                final Histogram histogram = LatencyFigures.newHistogram();
                for (int run = -context.warmups(); run < context.runs(); run++) {
                    histogram.reset();
                    final long wakes = pingRun(ping, pong, pingFile, histogram, n);
                    if (run >= 0) {
                        LatencyFigures.record(context, run, "rtt", "us", histogram);
                        context.record(run, B_ASLEEP, 100.0 * wakes / n);
                    }
                }
            } else {
                final long[] wakesPerRun = new long[context.runs()];
                pongAll(ping, pong, pongFile, context.totalIterations(), n, context.warmups(), wakesPerRun);
                for (int run = 0; run < context.runs(); run++) {
                    context.record(run, A_ASLEEP, 100.0 * wakesPerRun[run] / n);
                }
            }
        }
    }

    /** One run of side A; returns how often B had announced itself asleep when ping was set. */
    private static long pingRun(
        final Event ping, final Event pong, final MappedRegion pingFile, final Histogram histogram, final long n)
        throws InterruptedException {
        long wakes = 0;
        for (long k = 0; k < n; k++) {
            final long t0 = System.nanoTime();
            ping.set();
            if (pingFile.getIntVolatile(EVENT_SLEEPERS_OFFSET) > 0) {
                wakes++;
            }
            pong.await();
            pong.clear();
            final long t1 = System.nanoTime();
            LatencyFigures.recordNanos(histogram, t1 - t0);
        }
        return wakes;
    }

    private static void pongAll(
        final Event ping,
        final Event pong,
        final MappedRegion pongFile,
        final long total,
        final long perRun,
        final int warmups,
        final long[] wakesPerRun) throws InterruptedException {
        for (long seq = 1; seq <= total; seq++) {
            ping.await();
            ping.clear();
            pong.set();
            if (pongFile.getIntVolatile(EVENT_SLEEPERS_OFFSET) > 0) {
                final long run = (seq - 1) / perRun - warmups;
                if (run >= 0) {
                    wakesPerRun[(int) run]++;
                }
            }
        }
    }
}
