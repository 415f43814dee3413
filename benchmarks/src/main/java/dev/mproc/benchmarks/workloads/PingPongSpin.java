package dev.mproc.benchmarks.workloads;

import java.util.List;

import org.HdrHistogram.Histogram;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.MappedRegion;

/**
 * Ping-pong round trip between two JVMs through a mapped region, both sides busy-spinning: the
 * fastest hand-off mproc can make, and the floor under every blocking primitive's fast path.
 * <p>
 * Same shape as {@code shared/limits/pingpong_spin.c} mode 0: side A writes sequence number i to
 * the ping word (release) and spins until the pong word reads i (acquire); side B spins on ping and
 * answers on pong. The two words are two cache lines apart, so each line has one writer.
 * <pre>
 *   body offset 0    ping: long, written by A
 *   body offset 128  pong: long, written by B
 * </pre>
 * Side A times each round trip with two {@code System.nanoTime()} calls (their cost, reported in the
 * header, is inside the figure, as rdtscp's is inside the C one) and records it in an HdrHistogram;
 * nothing allocates in the loop.
 */
public final class PingPongSpin implements Workload {
    static final long PING = 0;
    static final long PONG = 128;

    @Override
    public String name() {
        return "pingpong-spin";
    }

    @Override
    public String title() {
        return "Round trip between two JVMs through a mapped region, both sides busy-spinning "
            + "(MappedRegion.putLongRelease / getLongAcquire + Thread.onSpinWait, ping and pong words on two "
            + "cache lines). Peer: C pingpong_spin (two processes, two lines, pause in the loop).";
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 5_000 : 300_000;
    }

    @Override
    public String iterationUnit() {
        return "round trips";
    }

    @Override
    public List<Figure> figures() {
        return LatencyFigures.figures("rtt", "ns", Better.LOWER,
            statistic -> switch (statistic) {
                case "p50" -> "<= 400 ns";
                case "p99" -> "<= 600 ns";
                default -> null;
            },
            statistic -> PeerKeys.rttPeers(PeerKeys.C_SPIN_RTT, "C spin", statistic));
    }

    @Override
    public void runSide(final SideContext context) {
        final MappedRegion region = context.region();
        if (context.side() == 0) {
            final Histogram histogram = LatencyFigures.newHistogram();
            long seq = 0;
            for (int run = -context.warmups(); run < context.runs(); run++) {
                histogram.reset();
                seq = pingRun(region, histogram, seq, context.iterations());
                if (run >= 0) {
                    LatencyFigures.record(context, run, "rtt", "ns", histogram);
                }
            }
        } else {
            pong(region, context.totalIterations());
        }
    }

    /** One run of side A; a method of its own so that the JIT compiles it whole after warm-up. */
    private static long pingRun(final MappedRegion region, final Histogram histogram, final long first, final long n) {
        long seq = first;
        for (long k = 0; k < n; k++) {
            seq++;
            final long t0 = System.nanoTime();
            region.putLongRelease(PING, seq);
            while (region.getLongAcquire(PONG) != seq) {
                Thread.onSpinWait();
            }
            final long t1 = System.nanoTime();
            LatencyFigures.recordNanos(histogram, t1 - t0);
        }
        return seq;
    }

    private static void pong(final MappedRegion region, final long total) {
        for (long seq = 1; seq <= total; seq++) {
            while (region.getLongAcquire(PING) != seq) {
                Thread.onSpinWait();
            }
            region.putLongRelease(PONG, seq);
        }
    }
}
