package dev.mproc.benchmarks.workloads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.JavaPeers;
import dev.mproc.benchmarks.LatencyFigures;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.transport.MessageReceiver;
import dev.mproc.benchmarks.transport.MessageSender;
import dev.mproc.benchmarks.transport.Transport;
import org.HdrHistogram.Histogram;

/**
 * Round trips through a {@link Transport} and back, side B echoing every message it receives, in
 * two ways (two workloads per transport):
 * <ul>
 *   <li><b>latency under load</b> ({@code latency-under-load-<id>}): side A sends at a fixed rate,
 *   each message stamped with the time it was <em>scheduled</em> to go, and polls for echoes
 *   between sends, recording now minus that scheduled time. A sender that falls behind (the
 *   transport cannot keep up, or a pause) sends late but keeps the schedule, so the wait its
 *   messages spent before they could go counts: the histogram is corrected for coordinated
 *   omission, as a timer around each send would not be. One thread does both, so neither waits for
 *   the other. Rates: {@link #RATES}; each step lasts {@link #iterations} milliseconds.</li>
 *   <li><b>burst</b> ({@code burst-<id>}): side A sends {@code N} messages back to back and
 *   waits for all {@code N} echoes, for N in {@link #BURSTS}: N = 1 is a plain ping-pong.</li>
 * </ul>
 * Messages are {@value #MESSAGE_BYTES} bytes: the scheduled (or send) time and a sequence number
 * (little-endian longs), checked on return.
 * <pre>
 *   body offset 0   RunClock for 2 sides (barriers around every step)
 * </pre>
 */
public final class EchoLatency extends TransportWorkload {
    /** Fixed send rates, messages a second. */
    static final int[] RATES = {10_000, 100_000, 1_000_000};
    /** Burst sizes. */
    static final int[] BURSTS = {1, 16};
    static final int MESSAGE_BYTES = 32;

    private static final String TO_B = "to-b";
    private static final String TO_A = "to-a";
    private static final String LOAD_PREFIX = "latency-under-load-";
    private static final String BURST_PREFIX = "burst-";
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean fixedRate;
    private final List<Figure> figures;

    private EchoLatency(final Transport transport, final boolean fixedRate) {
        super(transport);
        this.fixedRate = fixedRate;
        final boolean peer = transport.peerSource() != null;
        final String prefix = fixedRate ? LOAD_PREFIX : BURST_PREFIX;
        final List<Figure> list = new ArrayList<>();
        for (final int step : fixedRate ? RATES : BURSTS) {
            final String base = fixedRate ? rateLabel(step) : "burst of " + step;
            list.addAll(LatencyFigures.figures(base, "us", Better.LOWER, statistic -> null,
                statistic -> List.of(JavaPeers.sameFigure(peer, prefix, base + " " + statistic,
                    "uds", "agrona", "chronicle"))));
        }
        this.figures = List.copyOf(list);
    }

    /**
     * @param transport what carries the messages
     * @return the fixed-rate workload over it
     */
    public static EchoLatency underLoad(final Transport transport) {
        return new EchoLatency(transport, true);
    }

    /**
     * @param transport what carries the messages
     * @return the burst workload over it
     */
    public static EchoLatency bursts(final Transport transport) {
        return new EchoLatency(transport, false);
    }

    /**
     * @param rate messages a second
     * @return "10 K/s", "1 M/s"
     */
    public static String rateLabel(final int rate) {
        if (rate >= 1_000_000 && rate % 1_000_000 == 0) {
            return rate / 1_000_000 + " M/s";
        }
        if (rate >= 1_000 && rate % 1_000 == 0) {
            return rate / 1_000 + " K/s";
        }
        return rate + "/s";
    }

    @Override
    public String name() {
        return (fixedRate ? LOAD_PREFIX : BURST_PREFIX) + transport.id();
    }

    @Override
    public String title() {
        return fixedRate
            ? "Round trips through " + transport.label() + " under load: side A sends " + MESSAGE_BYTES
                + "-byte messages at a fixed rate (10 K, 100 K, 1 M a second), each stamped with its scheduled "
                + "send time, and side B echoes them; latency = echo received - scheduled send, so a sender held "
                + "up counts its wait (corrected for coordinated omission)."
            : "Bursts through " + transport.label() + ": side A sends N " + MESSAGE_BYTES + "-byte messages back "
                + "to back, side B echoes each, and A times until all N echoes are back (N = 1: ping-pong).";
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        // Fixed rate: milliseconds per rate step. Bursts: bursts per burst size.
        return fixedRate ? (smoke ? 20 : 400) : (smoke ? 20 : 20_000);
    }

    @Override
    public String iterationUnit() {
        return fixedRate ? "milliseconds at each rate" : "bursts of each size";
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    private long messagesAt(final SideContext context, final int rate) {
        return Math.max(10, rate * context.iterations() / 1000);
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, 2, context.side());
        final boolean a = context.side() == 0;
        // Each side opens its receiving end first: an end that attaches waits for its creator.
        try (MessageReceiver in = transport.openReceiver(context, a ? TO_A : TO_B, MESSAGE_BYTES);
             MessageSender out = transport.openSender(context, a ? TO_B : TO_A, MESSAGE_BYTES)) {
            clock.guard(() -> {
                if (a) {
                    measure(context, clock, in, out);
                } else {
                    echo(context, clock, in, out);
                }
            });
        }
    }

    private void measure(final SideContext context, final RunClock clock, final MessageReceiver in,
                         final MessageSender out) throws Exception {
        final Histogram histogram = LatencyFigures.newHistogram();
        final byte[] message = new byte[MESSAGE_BYTES];
        final byte[] echo = new byte[MESSAGE_BYTES];
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (final int step : fixedRate ? RATES : BURSTS) {
                histogram.reset();
                clock.begin();
                if (fixedRate) {
                    fixedRateStep(in, out, message, echo, messagesAt(context, step), 1e9 / step, histogram);
                } else {
                    burstStep(in, out, message, echo, step, context.iterations(), histogram);
                }
                clock.end();
                if (run >= 0) {
                    LatencyFigures.record(context, run, fixedRate ? rateLabel(step) : "burst of " + step, "us",
                        histogram);
                }
            }
        }
    }

    /** Sends n messages on schedule and records each echo against its scheduled send time. */
    private static void fixedRateStep(final MessageReceiver in, final MessageSender out, final byte[] message,
                                      final byte[] echo, final long n, final double intervalNanos,
                                      final Histogram histogram) throws Exception {
        final long start = System.nanoTime();
        long next = start;
        long sent = 0;
        long received = 0;
        while (received < n) {
            if (sent < n && System.nanoTime() - next >= 0) {
                LONG.set(message, 0, next);
                LONG.set(message, 8, sent);
                out.send(message, MESSAGE_BYTES);
                out.flush();
                sent++;
                next = start + (long) (sent * intervalNanos);
            }
            if (in.poll(echo) >= 0) {
                final long now = System.nanoTime();
                checkEcho(echo, received);
                LatencyFigures.recordNanos(histogram, now - (long) LONG.get(echo, 0));
                received++;
            }
        }
    }

    /** Times {@code bursts} bursts of {@code size} messages, each until its last echo is back. */
    private static void burstStep(final MessageReceiver in, final MessageSender out, final byte[] message,
                                  final byte[] echo, final int size, final long bursts, final Histogram histogram)
        throws Exception {
        long seq = 0;
        for (long b = 0; b < bursts; b++) {
            final long start = System.nanoTime();
            for (int i = 0; i < size; i++) {
                LONG.set(message, 0, start);
                LONG.set(message, 8, seq + i);
                out.send(message, MESSAGE_BYTES);
            }
            out.flush();
            for (int i = 0; i < size; i++) {
                in.receive(echo);
                checkEcho(echo, seq + i);
            }
            LatencyFigures.recordNanos(histogram, System.nanoTime() - start);
            seq += size;
        }
    }

    private static void checkEcho(final byte[] echo, final long expected) {
        final long got = (long) LONG.get(echo, 8);
        if (got != expected) {
            throw new IllegalStateException("echo out of order or lost: expected " + expected + ", got " + got);
        }
    }

    private void echo(final SideContext context, final RunClock clock, final MessageReceiver in,
                      final MessageSender out) throws Exception {
        final byte[] buffer = new byte[MESSAGE_BYTES];
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (final int step : fixedRate ? RATES : BURSTS) {
                final long n = fixedRate ? messagesAt(context, step) : step * context.iterations();
                clock.begin();
                echoStep(in, out, buffer, n);
                clock.end();
            }
        }
    }

    private static void echoStep(final MessageReceiver in, final MessageSender out, final byte[] buffer, final long n)
        throws Exception {
        for (long k = 0; k < n; k++) {
            final int length = in.receive(buffer);
            out.send(buffer, length);
            out.flush();
        }
    }
}
