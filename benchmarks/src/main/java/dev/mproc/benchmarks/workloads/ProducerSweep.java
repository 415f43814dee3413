package dev.mproc.benchmarks.workloads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.JavaPeers;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.transport.MessageReceiver;
import dev.mproc.benchmarks.transport.MessageSender;
import dev.mproc.benchmarks.transport.Transport;

/**
 * Throughput of a many-to-one {@link Transport} as producers are added: side A consumes, sides B to
 * E are up to {@value #MAX_PRODUCERS} producer JVMs. Every run has one timed step per producer
 * count n = 1 ... {@value #MAX_PRODUCERS}: the first n producers each send
 * {@link #iterations} {@value #MESSAGE_BYTES}-byte messages as fast as they can while the others
 * wait at the step's end barrier, and the consumer takes them all.
 * <p>
 * On a 2-CPU machine the consumer has CPU 0 and every producer shares CPU 1 (as in
 * {@code queue-ints-4to1}): from two producers on, producers take turns on one CPU, so the figures
 * show the cost of contention plus time-slicing, not parallel speed-up. The cores run out at
 * n = 1.
 * <p>
 * Checks: each message carries its producer and that producer's sequence number; the consumer
 * checks every producer's messages arrive in its order, none lost or repeated.
 * <pre>
 *   body offset 0   RunClock for 5 sides
 * </pre>
 */
public final class ProducerSweep extends TransportWorkload {
    static final int MAX_PRODUCERS = 4;
    static final int MESSAGE_BYTES = 16;

    private static final String PREFIX = "producers-";
    private static final String CHANNEL = "many-to-one";
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final List<Figure> figures;

    /**
     * @param transport a many-to-one transport
     */
    public ProducerSweep(final Transport transport) {
        super(transport);
        if (!transport.manyToOne()) {
            throw new IllegalArgumentException("not a many-to-one transport: " + transport.id());
        }
        final boolean peer = transport.peerSource() != null;
        final List<Figure> list = new ArrayList<>();
        for (int n = 1; n <= MAX_PRODUCERS; n++) {
            list.add(Figure.of(figureOf(n), "M msg/s", Better.HIGHER, n == MAX_PRODUCERS ? ">= 5 M msg/s" : "",
                JavaPeers.sameFigure(peer, PREFIX, figureOf(n), "agrona-m2o")));
        }
        this.figures = List.copyOf(list);
    }

    /**
     * @param producers how many
     * @return "1 producer", "2 producers", ...
     */
    public static String figureOf(final int producers) {
        return producers + (producers == 1 ? " producer" : " producers");
    }

    @Override
    public String name() {
        return PREFIX + transport.id();
    }

    @Override
    public String title() {
        return "Producers 1 to " + MAX_PRODUCERS + " (one JVM each) into one " + transport.label() + ", one consumer JVM: "
            + MESSAGE_BYTES + "-byte messages, total rate = all messages / (first start - last end) per producer count. "
            + "Consumer on CPU 0, every producer on CPU 1: past one producer the CPUs have run out.";
    }

    @Override
    public int sides() {
        return 1 + MAX_PRODUCERS;
    }

    @Override
    public int cpuOf(final int side, final int cpus) {
        return side == 0 ? 0 : 1 + (side - 1) % (cpus - 1);
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 1_000 : 250_000;
    }

    @Override
    public String iterationUnit() {
        return "messages per producer per step";
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, sides(), context.side());
        if (context.side() == 0) {
            try (MessageReceiver in = transport.openReceiver(context, CHANNEL, MESSAGE_BYTES)) {
                clock.guard(() -> consume(context, clock, in));
            }
        } else {
            try (MessageSender out = transport.openSender(context, CHANNEL, MESSAGE_BYTES)) {
                clock.guard(() -> produce(context, clock, out));
            }
        }
    }

    private void produce(final SideContext context, final RunClock clock, final MessageSender out) throws Exception {
        final int producer = context.side();
        final byte[] message = new byte[MESSAGE_BYTES];
        LONG.set(message, 0, (long) producer);
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (int n = 1; n <= MAX_PRODUCERS; n++) {
                clock.begin();
                if (producer <= n) {
                    seq = produceStep(out, message, seq, context.iterations());
                    clock.end();
                } else {
                    clock.endIdle();
                }
            }
        }
    }

    private static long produceStep(final MessageSender out, final byte[] message, final long first, final long n)
        throws Exception {
        long seq = first;
        for (long k = 0; k < n; k++) {
            LONG.set(message, 8, ++seq);
            out.send(message, MESSAGE_BYTES);
        }
        out.flush();
        return seq;
    }

    private void consume(final SideContext context, final RunClock clock, final MessageReceiver in) throws Exception {
        final long[] last = new long[sides()];
        final byte[] buffer = new byte[MESSAGE_BYTES];
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (int n = 1; n <= MAX_PRODUCERS; n++) {
                final long total = n * context.iterations();
                clock.begin();
                consumeStep(in, buffer, last, total);
                clock.end();
                if (run >= 0) {
                    context.record(run, figureOf(n), total * 1e3 / clock.spanNanos());
                }
            }
        }
    }

    private static void consumeStep(final MessageReceiver in, final byte[] buffer, final long[] last, final long total)
        throws Exception {
        for (long k = 0; k < total; k++) {
            final int length = in.receive(buffer);
            final long producer = (long) LONG.get(buffer, 0);
            final long seq = (long) LONG.get(buffer, 8);
            if (length != MESSAGE_BYTES || producer < 1 || producer >= last.length || seq != last[(int) producer] + 1) {
                throw new IllegalStateException("message lost, repeated or out of producer order: length=" + length
                    + " producer=" + producer + " seq=" + seq + " expected seq="
                    + (producer >= 1 && producer < last.length ? last[(int) producer] + 1 : -1));
            }
            last[(int) producer] = seq;
        }
    }
}
