package dev.mproc.benchmarks.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.SpinThenSleepStrategy;
import dev.mproc.core.WaitCondition;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;

/**
 * Ping-pong round trip between two JVMs through two {@link WaitWord}s, each side waiting with a
 * {@link WaitStrategy}: what a blocking mproc call costs when its peer answers at once.
 * <p>
 * Per message a side does what every blocking primitive does: {@link WaitWord#set} the word to the
 * sequence number (volatile), {@link WaitWord#wakeAll()} (a FUTEX_WAKE only if the peer announced it
 * sleeps), then {@link WaitStrategy#awaitUninterruptibly} on the peer's word.
 * <pre>
 *   body offset 0    ping: WaitWord (word, sleepers), written by A
 *   body offset 128  pong: WaitWord (word, sleepers), written by B
 * </pre>
 * Two instances: {@link #defaultStrategy()} (adaptive spin, then futex sleep) and
 * {@link #sleeping()} (no spin: both sides sleep on the futex at every exchange).
 * <p>
 * Each side also counts, cheaply, how often it found the peer announced as a sleeper when it
 * signalled (one extra read of a word it already owns): the share of waits that went to the futex.
 */
public final class PingPongWaiting implements Workload {
    static final long PING = 0;
    static final long PONG = 128;

    static final String B_ASLEEP = "B asleep at ping";
    static final String A_ASLEEP = "A asleep at pong";

    private final String name;
    private final String title;
    private final Supplier<WaitStrategy> strategies;
    private final long iterations;
    private final long smokeIterations;
    private final String unit;
    private final String cPrefix;
    private final String cLabel;
    private final Function<String, String> targets;

    private PingPongWaiting(
        final String name,
        final String title,
        final Supplier<WaitStrategy> strategies,
        final long iterations,
        final long smokeIterations,
        final String unit,
        final String cPrefix,
        final String cLabel,
        final Function<String, String> targets) {
        this.name = name;
        this.title = title;
        this.strategies = strategies;
        this.iterations = iterations;
        this.smokeIterations = smokeIterations;
        this.unit = unit;
        this.cPrefix = cPrefix;
        this.cLabel = cLabel;
        this.targets = targets;
    }

    /**
     * @return ping-pong with {@link WaitStrategies#defaultStrategy()} on both sides, peer active
     */
    public static PingPongWaiting defaultStrategy() {
        return new PingPongWaiting("pingpong-default",
            "Round trip between two JVMs with the default blocking calls: WaitWord.set + wakeAll per message, "
                + "WaitStrategies.defaultStrategy() (adaptive spin, then futex) to wait; the peer is active. "
                + "Peer: C pingpong_futex spin-then-park (spin about 27 us, then FUTEX_WAIT; wake only if flagged).",
            WaitStrategies::defaultStrategy, 100_000, 5_000, "us",
            PeerKeys.C_FUTEX_SPIN_THEN_PARK_RTT, "C spin-then-futex",
            statistic -> statistic.equals("p50") ? "<= 1 us" : null);
    }

    /**
     * @return ping-pong with {@link WaitStrategies#sleeping()} on both sides: a futex sleep and a
     *         futex wake-up at every exchange
     */
    public static PingPongWaiting sleeping() {
        return new PingPongWaiting("pingpong-sleeping",
            "Round trip between two JVMs with both sides asleep on the futex at every exchange: "
                + "WaitStrategies.sleeping() (no spin), WaitWord.set + wakeAll. "
                + "Peer: C pingpong_futex always-block (FUTEX_WAIT at once, FUTEX_WAKE always).",
            WaitStrategies::sleeping, 10_000, 300, "us",
            PeerKeys.C_FUTEX_ALWAYS_BLOCK_RTT, "C futex",
            statistic -> statistic.equals("p50") ? "<= 1.3x C (x vs C >= 0.77)" : null);
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
        return "round trips";
    }

    @Override
    public List<Figure> figures() {
        final List<Figure> figures = new ArrayList<>(LatencyFigures.figures("rtt", unit, Better.LOWER, targets,
            statistic -> PeerKeys.rttPeers(cPrefix, cLabel, statistic)));
        figures.add(Figure.info(B_ASLEEP, "% of round trips"));
        figures.add(Figure.info(A_ASLEEP, "% of round trips"));
        return figures;
    }

    @Override
    public void runSide(final SideContext context) {
        final WaitWord ping = WaitWord.at(context.region(), PING);
        final WaitWord pong = WaitWord.at(context.region(), PONG);
        final WaitStrategy strategy = strategies.get();
        final long n = context.iterations();
        if (context.side() == 0) {
            final Histogram histogram = LatencyFigures.newHistogram();
            final Counters counters = new Counters();
            final Arrival answered = new Arrival(pong);
            for (int run = -context.warmups(); run < context.runs(); run++) {
                histogram.reset();
                counters.wakes = 0;
                pingRun(ping, pong, strategy, answered, histogram, counters, n);
                if (run >= 0) {
                    LatencyFigures.record(context, run, "rtt", unit, histogram);
                    context.record(run, B_ASLEEP, 100.0 * counters.wakes / n);
                }
            }
        } else {
            final long[] wakesPerRun = new long[context.runs()];
            pongAll(ping, pong, strategy, context.totalIterations(), n, context.warmups(), wakesPerRun);
            for (int run = 0; run < context.runs(); run++) {
                context.record(run, A_ASLEEP, 100.0 * wakesPerRun[run] / n);
            }
        }
        if (strategy instanceof SpinThenSleepStrategy adaptive) {
            context.note(String.format(Locale.ROOT, "spin budget at the end %.1f us (%s)",
                adaptive.spinBudgetNanos() / 1000.0, adaptive));
        }
    }

    private static void pingRun(
        final WaitWord ping,
        final WaitWord pong,
        final WaitStrategy strategy,
        final Arrival answered,
        final Histogram histogram,
        final Counters counters,
        final long n) {
        for (long k = 0; k < n; k++) {
            final int seq = ++counters.seq;
            final long t0 = System.nanoTime();
            ping.set(seq);
            if (ping.sleepers() > 0) {
                counters.wakes++;
            }
            ping.wakeAll();
            answered.expected = seq;
            strategy.awaitUninterruptibly(pong, answered);
            final long t1 = System.nanoTime();
            LatencyFigures.recordNanos(histogram, t1 - t0);
        }
    }

    private static void pongAll(
        final WaitWord ping,
        final WaitWord pong,
        final WaitStrategy strategy,
        final long total,
        final long perRun,
        final int warmups,
        final long[] wakesPerRun) {
        final Arrival pinged = new Arrival(ping);
        for (int seq = 1; seq <= total; seq++) {
            pinged.expected = seq;
            strategy.awaitUninterruptibly(ping, pinged);
            pong.set(seq);
            if (pong.sleepers() > 0) {
                final long run = (seq - 1) / perRun - warmups;
                if (run >= 0) {
                    wakesPerRun[(int) run]++;
                }
            }
            pong.wakeAll();
        }
    }

    /** The wait condition, reused for every message so that waiting allocates nothing. */
    private static final class Arrival implements WaitCondition {
        private final WaitWord word;
        private int expected;

        Arrival(final WaitWord word) {
            this.word = word;
        }

        @Override
        public boolean isSatisfied() {
            return word.getAcquire() == expected;
        }
    }

    /** Side A's running sequence number and the wakes of the current run. */
    private static final class Counters {
        private int seq;
        private long wakes;
    }
}
