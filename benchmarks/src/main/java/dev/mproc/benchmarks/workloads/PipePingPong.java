package dev.mproc.benchmarks.workloads;

import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.JavaPeers;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.core.SpinThenSleepStrategy;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;

/**
 * Ping-pong through a duplex {@link Pipe} between two JVMs: side A sends 8 bytes with
 * {@code sendBytes} and waits for them to come back with {@code recvBytesInto}; side B receives
 * and sends the same bytes back. Python's {@code conn.send_bytes(b); conn.recv_bytes()} against
 * an echoing process, which is the CPython figure beside it.
 * <p>
 * Two instances: {@link #spinning()} (both sides' handles wait with
 * {@link WaitStrategies#busySpin()}) and {@link #defaultStrategy()} (adaptive spin, then futex
 * sleep; the peer answers at once, so waits rarely reach the futex).
 * <p>
 * Side A times each round trip with two {@code System.nanoTime()} calls into an HdrHistogram, as
 * the core ping-pong workloads do; nothing allocates in either loop. Checks: each message carries
 * its sequence number; side B checks every ping, side A every echo (length and number), and after
 * the last round trip side B gets {@link EOFException} once side A has closed its end.
 * <p>
 * The data region is unused; the pipe is a file of its own in the workload's namespace.
 */
public final class PipePingPong implements Workload {
    static final String PIPE = "pipe";
    static final int MESSAGE_BYTES = 8;

    private static final VarHandle STAMP =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final String title;
    private final Supplier<WaitStrategy> strategies;
    private final long iterations;
    private final String unit;
    private final String cPrefix;
    private final String cLabel;
    private final Function<String, String> targets;

    private PipePingPong(
        final String name,
        final String title,
        final Supplier<WaitStrategy> strategies,
        final long iterations,
        final String unit,
        final String cPrefix,
        final String cLabel,
        final Function<String, String> targets) {
        this.name = name;
        this.title = title;
        this.strategies = strategies;
        this.iterations = iterations;
        this.unit = unit;
        this.cPrefix = cPrefix;
        this.cLabel = cLabel;
        this.targets = targets;
    }

    /**
     * @return ping-pong with both handles busy-spinning
     */
    public static PipePingPong spinning() {
        return new PipePingPong("pipe-pingpong-spin",
            "Round trip of 8 bytes through a duplex Pipe between two JVMs, both handles busy-spinning "
                + "(Pipe.builder().waitStrategy(WaitStrategies.busySpin())): A sendBytes + recvBytesInto, B echoes. "
                + "Peers: C pingpong_spin (two processes, two lines, pause in the loop), CPython Pipe ping-pong.",
            WaitStrategies::busySpin, 300_000, "ns", PeerKeys.C_SPIN_RTT, "C spin",
            statistic -> statistic.equals("p50") ? "<= 400 ns" : null);
    }

    /**
     * @return ping-pong with the default strategy on both handles, peer active
     */
    public static PipePingPong defaultStrategy() {
        return new PipePingPong("pipe-pingpong-default",
            "Round trip of 8 bytes through a duplex Pipe between two JVMs with the default wait strategy (adaptive "
                + "spin, then futex), peer active: A sendBytes + recvBytesInto, B echoes. Peers: C pingpong_futex "
                + "spin-then-park (spin about 27 us, then FUTEX_WAIT; wake only if flagged), CPython Pipe ping-pong.",
            WaitStrategies::defaultStrategy, 200_000, "us", PeerKeys.C_FUTEX_SPIN_THEN_PARK_RTT, "C spin-then-futex",
            statistic -> statistic.equals("p50") ? "<= 1 us" : null);
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
        return smoke ? 5_000 : iterations;
    }

    @Override
    public String iterationUnit() {
        return "round trips";
    }

    @Override
    public List<Figure> figures() {
        return LatencyFigures.figures("rtt", unit, Better.LOWER, targets,
            statistic -> {
                final List<PeerRef> peers = new ArrayList<>(PeerKeys.rttPeers(cPrefix, cLabel, statistic));
                peers.addAll(List.of(JavaPeers.sameFigure(false, "burst-", "burst of 1 " + statistic, "uds", "agrona",
                    "chronicle")));
                return peers;
            });
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final WaitStrategy strategy = strategies.get();
        final Pipe pipe = Pipe.builder().waitStrategy(strategy).create(context.namespace(), PIPE);
        // Each side closes only the end it uses: closing an end marks it closed for every process.
        if (context.side() == 0) {
            try (Connection end = pipe.left()) {
                ping(context, end);
            }
        } else {
            try (Connection end = pipe.right()) {
                echo(end, context.totalIterations());
            }
        }
        if (strategy instanceof SpinThenSleepStrategy adaptive) {
            context.note(String.format(Locale.ROOT, "spin budget at the end %.1f us (%s)",
                adaptive.spinBudgetNanos() / 1000.0, adaptive));
        }
    }

    private void ping(final SideContext context, final Connection end) throws InterruptedException {
        final Histogram histogram = LatencyFigures.newHistogram();
        final byte[] ping = new byte[MESSAGE_BYTES];
        final byte[] pong = new byte[2 * MESSAGE_BYTES];
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            histogram.reset();
            try {
                seq = pingRun(end, ping, pong, histogram, seq, context.iterations());
            } catch (final EOFException e) {
                throw new IllegalStateException("the echoing side closed during run " + run + ": " + e.getMessage(), e);
            }
            if (run >= 0) {
                LatencyFigures.record(context, run, "rtt", unit, histogram);
            }
        }
    }

    /** One run of side A; a method of its own so that the JIT compiles it whole after warm-up. */
    private static long pingRun(
        final Connection end, final byte[] ping, final byte[] pong, final Histogram histogram, final long first,
        final long n) throws EOFException, InterruptedException {
        long seq = first;
        for (long k = 0; k < n; k++) {
            seq++;
            STAMP.set(ping, 0, seq);
            final long t0 = System.nanoTime();
            end.sendBytes(ping);
            final int length = end.recvBytesInto(pong);
            final long t1 = System.nanoTime();
            LatencyFigures.recordNanos(histogram, t1 - t0);
            if (length != MESSAGE_BYTES || (long) STAMP.get(pong, 0) != seq) {
                throw new IllegalStateException("wrong echo: expected " + MESSAGE_BYTES + " bytes carrying " + seq
                    + ", got " + length + " bytes carrying " + (long) STAMP.get(pong, 0));
            }
        }
        return seq;
    }

    private static void echo(final Connection end, final long total) throws InterruptedException {
        final byte[] buffer = new byte[2 * MESSAGE_BYTES];
        try {
            echoAll(end, buffer, total);
        } catch (final EOFException e) {
            throw new IllegalStateException("the pinging side closed before the last round trip: " + e.getMessage(), e);
        }
        try {
            final int length = end.recvBytesInto(buffer);
            throw new IllegalStateException("a ping after the last one: length=" + length);
        } catch (final EOFException expectedEnd) {
            // Side A closed its end and nothing was left: what should happen.
        }
    }

    private static void echoAll(final Connection end, final byte[] buffer, final long total)
        throws EOFException, InterruptedException {
        for (long seq = 1; seq <= total; seq++) {
            final int length = end.recvBytesInto(buffer);
            if (length != MESSAGE_BYTES || (long) STAMP.get(buffer, 0) != seq) {
                throw new IllegalStateException("wrong ping: expected " + MESSAGE_BYTES + " bytes carrying " + seq
                    + ", got " + length + " bytes carrying " + (long) STAMP.get(buffer, 0));
            }
            end.sendBytes(buffer, 0, length);
        }
    }
}
