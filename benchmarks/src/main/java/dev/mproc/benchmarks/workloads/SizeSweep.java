package dev.mproc.benchmarks.workloads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.JavaPeers;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.transport.MessageReceiver;
import dev.mproc.benchmarks.transport.MessageSender;
import dev.mproc.benchmarks.transport.Transport;

/**
 * Throughput by message size through one {@link Transport}, one JVM sending and another
 * receiving as fast as they can: every run goes through the sizes of {@link #SIZES} in turn, each
 * a timed step of its own between two {@link RunClock} barriers, moving about the same number of
 * bytes per size ({@link #iterations} bytes, at least {@link #MIN_MESSAGES} messages).
 * <p>
 * Figures per size: {@code "<size> throughput"} in MB/s (1e6 bytes a second) and
 * {@code "<size> rate"} in M msg/s; the charts and the peer columns read them by these names.
 * <p>
 * Checks: every message carries its sequence number in its first 8 bytes (little-endian), and the
 * receiver checks each message's length and number, so a lost, repeated, reordered or truncated
 * message fails the workload.
 * <pre>
 *   body offset 0   RunClock for 2 sides: side B's value 0 = messages it received in the step
 * </pre>
 */
public final class SizeSweep extends TransportWorkload {
    /** Message sizes, smallest first; every one holds the 8-byte sequence number. */
    static final int[] SIZES = {8, 64, 512, 4 << 10, 32 << 10, 256 << 10, 1 << 20};
    /** Messages of the largest sizes per step, however few bytes the budget allows. */
    static final int MIN_MESSAGES = 128;
    static final int SMOKE_MIN_MESSAGES = 2;

    private static final String PREFIX = "size-sweep-";
    private static final String CHANNEL = "sweep";
    private static final int RECEIVED = 0;
    private static final VarHandle STAMP = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final List<Figure> figures;

    /**
     * @param transport what carries the messages
     */
    public SizeSweep(final Transport transport) {
        super(transport);
        final List<Figure> list = new ArrayList<>();
        final boolean peer = transport.peerSource() != null;
        for (final int size : SIZES) {
            final List<PeerRef> throughputPeers = new ArrayList<>(List.of(
                JavaPeers.sameFigure(peer, PREFIX, throughputFigure(size), "uds", "agrona", "chronicle")));
            final List<PeerRef> ratePeers = new ArrayList<>(List.of(
                JavaPeers.sameFigure(peer, PREFIX, rateFigure(size), "uds", "agrona", "chronicle")));
            if (transport.id().equals("pipe") && size == 64) {
                ratePeers.add(PeerRef.cpython(PeerKeys.PY_PIPE_64B_BYTES, "Pipe send_bytes 64 B"));
            }
            if (transport.id().equals("pipe") && size == 1 << 20) {
                throughputPeers.add(PeerRef.cpython(PeerKeys.PY_PIPE_1MIB_BYTES, "Pipe send_bytes 1 MiB"));
            }
            list.add(new Figure(throughputFigure(size), "MB/s", Better.HIGHER, "", throughputPeers));
            list.add(new Figure(rateFigure(size), "M msg/s", Better.HIGHER, "", ratePeers));
        }
        this.figures = List.copyOf(list);
    }

    /**
     * @param transportId a transport's id
     * @return the name of the sweep workload over it
     */
    public static String name(final String transportId) {
        return PREFIX + transportId;
    }

    /**
     * @param size message bytes
     * @return "64 B", "4 KiB", "1 MiB"
     */
    public static String sizeLabel(final int size) {
        if (size >= 1 << 20 && size % (1 << 20) == 0) {
            return (size >> 20) + " MiB";
        }
        if (size >= 1 << 10 && size % (1 << 10) == 0) {
            return (size >> 10) + " KiB";
        }
        return size + " B";
    }

    /**
     * @param size message bytes
     * @return the name of its MB/s figure
     */
    public static String throughputFigure(final int size) {
        return sizeLabel(size) + " throughput";
    }

    /**
     * @param size message bytes
     * @return the name of its M msg/s figure
     */
    public static String rateFigure(final int size) {
        return sizeLabel(size) + " rate";
    }

    @Override
    public String name() {
        return name(transport.id());
    }

    @Override
    public String title() {
        return "Throughput by message size through " + transport.label() + ", one JVM sending to another as fast "
            + "as they can: sizes " + sizeLabel(SIZES[0]) + " to " + sizeLabel(SIZES[SIZES.length - 1])
            + ", about the same bytes per size; MB = 1e6 bytes. Each message's length and sequence number are "
            + "checked on arrival.";
    }

    @Override
    public int sides() {
        return 2;
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? 64 << 10 : 32 << 20;
    }

    @Override
    public String iterationUnit() {
        return "bytes per message size (at least " + MIN_MESSAGES + " messages)";
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, 2, context.side());
        final int largest = SIZES[SIZES.length - 1];
        if (context.side() == 0) {
            try (MessageSender out = transport.openSender(context, CHANNEL, largest)) {
                clock.guard(() -> send(context, clock, out));
            }
        } else {
            try (MessageReceiver in = transport.openReceiver(context, CHANNEL, largest)) {
                clock.guard(() -> receive(context, clock, in));
            }
        }
    }

    private static long messagesFor(final SideContext context, final int size) {
        final int least = context.smoke() ? SMOKE_MIN_MESSAGES : MIN_MESSAGES;
        return Math.max(least, context.iterations() / size);
    }

    private void send(final SideContext context, final RunClock clock, final MessageSender out) throws Exception {
        final byte[][] messages = new byte[SIZES.length][];
        for (int i = 0; i < SIZES.length; i++) {
            messages[i] = PipeBytes.pattern(SIZES[i]);
        }
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (int i = 0; i < SIZES.length; i++) {
                final int size = SIZES[i];
                final long n = messagesFor(context, size);
                clock.begin();
                sendStep(out, messages[i], n);
                clock.end();
                final long received = clock.value(1, RECEIVED);
                if (received != n) {
                    throw new IllegalStateException("the receiver did not get what was sent: size=" + size + " sent=" + n
                        + " received=" + received + " (run " + run + ")");
                }
                if (run >= 0) {
                    final long nanos = clock.spanNanos();
                    context.record(run, throughputFigure(size), (double) n * size * 1e3 / nanos);
                    context.record(run, rateFigure(size), n * 1e3 / nanos);
                }
            }
        }
    }

    /** One step of the sender; a method of its own so that the JIT compiles the loop whole. */
    private static void sendStep(final MessageSender out, final byte[] message, final long n) throws Exception {
        for (long seq = 1; seq <= n; seq++) {
            STAMP.set(message, 0, seq);
            out.send(message, message.length);
        }
        out.flush();
    }

    private void receive(final SideContext context, final RunClock clock, final MessageReceiver in) throws Exception {
        final byte[] buffer = new byte[SIZES[SIZES.length - 1]];
        for (int run = -context.warmups(); run < context.runs(); run++) {
            for (final int size : SIZES) {
                final long n = messagesFor(context, size);
                clock.begin();
                receiveStep(in, buffer, size, n);
                clock.publish(RECEIVED, n);
                clock.end();
            }
        }
    }

    private static void receiveStep(final MessageReceiver in, final byte[] buffer, final int size, final long n)
        throws Exception {
        for (long seq = 1; seq <= n; seq++) {
            final int length = in.receive(buffer);
            if (length != size) {
                throw new IllegalStateException("message " + seq + " has the wrong length: length=" + length
                    + " expected=" + size);
            }
            final long got = (long) STAMP.get(buffer, 0);
            if (got != seq) {
                throw new IllegalStateException("message out of order or lost: expected " + seq + ", got " + got
                    + " (size " + size + ")");
            }
        }
    }
}
