package dev.mproc.benchmarks.workloads;

import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.JavaPeers;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;

/**
 * Raw bytes through a one-way {@link Pipe} from one JVM to another, as fast as they go:
 * {@code sendBytes(byte[])} in side A, {@code recvBytesInto(byte[])} in side B, the default
 * ring (256 KiB) and the default wait strategy. Two instances: {@link #small()}, 64-byte messages
 * (messages per second), and {@link #large()}, 1 MiB messages (bytes per second), which the pipe
 * sends in fragments of a quarter of its ring while the receiver takes them.
 * <p>
 * Every run starts with both sides at a {@link RunClock} barrier and ends with another; the rate is
 * messages / (last end - first start), side A's first send to side B's last receive.
 * <p>
 * Checks, which fail the side and so the workload: every message carries its sequence number
 * (little-endian long) at every 4096th byte from byte 0, and the receiver checks each message's
 * length and every one of those stamps as it arrives (a lost, repeated, reordered, torn or
 * mis-gathered message shows); the last message of each run is compared byte for byte with what
 * was sent; after each run side A checks that side B received exactly the messages it sent; after
 * the last run side B gets {@link EOFException} once side A has closed its end (nothing left over).
 * <pre>
 *   body offset 0   RunClock: barrier; side A's slot; side B's slot (value 0: messages received,
 *                   value 1: last sequence number received)
 * </pre>
 */
public final class PipeBytes implements Workload {
    static final String PIPE = "pipe";
    /** One sequence stamp every this many bytes of a message, from byte 0. */
    static final int STAMP_STRIDE = 4096;

    static final String RATE = "throughput";
    static final String TIME = "time per message";
    static final String PAYLOAD = "payload rate";

    private static final int RECEIVED = 0;
    private static final int LAST_RECEIVED = 1;
    private static final VarHandle STAMP =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final String title;
    private final int messageBytes;
    private final long iterations;
    private final long smokeIterations;
    private final List<Figure> figures;

    private PipeBytes(
        final String name,
        final String title,
        final int messageBytes,
        final long iterations,
        final long smokeIterations,
        final List<Figure> figures) {
        this.name = name;
        this.title = title;
        this.messageBytes = messageBytes;
        this.iterations = iterations;
        this.smokeIterations = smokeIterations;
        this.figures = figures;
    }

    /**
     * @return 64-byte messages: how many a second
     */
    public static PipeBytes small() {
        return new PipeBytes("pipe-bytes-64b",
            "64-byte messages through a one-way Pipe from one JVM to another: Connection.sendBytes(byte[]) -> "
                + "recvBytesInto(byte[]), default ring (256 KiB) and wait strategy; rate = messages / (last end - "
                + "first start). Peers: C spsc (a bare SPSC ring of 64-byte slots carrying 32-byte messages: what "
                + "shared memory allows), CPython Pipe send_bytes/recv_bytes of 64 bytes, C Unix socket stream of "
                + "64-byte messages (the kernel's way).",
            64, 10_000_000, 20_000,
            List.of(
                withJavaPeers(Figure.of(RATE, "M msg/s", Better.HIGHER, ">= 50 M msg/s",
                    PeerRef.cLimit(PeerKeys.C_SPSC_THROUGHPUT, "C SPSC ring, 32 B msgs"),
                    PeerRef.cpython(PeerKeys.PY_PIPE_64B_BYTES, "Pipe send_bytes 64 B")), "64 B rate"),
                Figure.of(TIME, "ns/op", Better.LOWER, "",
                    PeerRef.cLimit(PeerKeys.C_UDS_THROUGHPUT, "C Unix socket 64 B")),
                Figure.info(PAYLOAD, "GB/s")));
    }

    /**
     * @return 1 MiB messages, fragmented through the default 256 KiB ring: bytes a second
     */
    public static PipeBytes large() {
        return new PipeBytes("pipe-bytes-1mib",
            "1 MiB messages through a one-way Pipe from one JVM to another: Connection.sendBytes(byte[]) -> "
                + "recvBytesInto(byte[]), default ring (256 KiB: each message goes in 64 KiB fragments while the "
                + "receiver takes them) and wait strategy; GB = 1e9 bytes. Peers: C memcpy of 1 MiB blocks in "
                + "cache (one copy; a pipe makes two: into the ring and out of it), CPython Pipe send_bytes of "
                + "1 MiB (its MB/s are 1e6 bytes).",
            1 << 20, 2_000, 20,
            List.of(
                withJavaPeers(Figure.of(RATE, "GB/s", Better.HIGHER, ">= 5 GB/s",
                    PeerRef.cLimit(PeerKeys.C_MEMCPY_1MIB, "C memcpy 1 MiB"),
                    PeerRef.cpython(PeerKeys.PY_PIPE_1MIB_BYTES, "Pipe send_bytes 1 MiB")), "1 MiB throughput"),
                Figure.of(TIME, "us", Better.LOWER, "")));
    }

    /** Adds the Java peers' size-sweep figure of the same message size. */
    private static Figure withJavaPeers(final Figure figure, final String sweepFigure) {
        final List<PeerRef> peers = new ArrayList<>(figure.peers());
        peers.addAll(List.of(JavaPeers.sameFigure(false, "size-sweep-", sweepFigure, "uds", "agrona", "chronicle")));
        return new Figure(figure.name(), figure.unit(), figure.better(), figure.target(), peers);
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
    public long regionBytes() {
        return RunClock.bytesFor(2);
    }

    @Override
    public long iterations(final boolean smoke) {
        return smoke ? smokeIterations : iterations;
    }

    @Override
    public String iterationUnit() {
        return "messages of " + (messageBytes >= 1024 ? (messageBytes >> 10) + " KiB" : messageBytes + " bytes");
    }

    @Override
    public List<Figure> figures() {
        return figures;
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, 2, context.side());
        final Pipe pipe = Pipe.builder().duplex(false).create(context.namespace(), PIPE);
        // Each side closes only the end it uses: closing an end marks it closed for every process.
        if (context.side() == 0) {
            try (Connection out = pipe.right()) {
                clock.guard(() -> send(context, clock, out));
            }
        } else {
            try (Connection in = pipe.left()) {
                clock.guard(() -> receive(context, clock, in));
            }
        }
    }

    private void send(final SideContext context, final RunClock clock, final Connection out) {
        final byte[] message = pattern(messageBytes);
        final long n = context.iterations();
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            seq = sendRun(out, message, seq, n);
            clock.end();
            final long received = clock.value(1, RECEIVED);
            final long last = clock.value(1, LAST_RECEIVED);
            if (received != n || last != seq) {
                throw new IllegalStateException("the receiver did not get what was sent: sent=" + n + " received="
                    + received + " last sent=" + seq + " last received=" + last + " (run " + run + ")");
            }
            if (run >= 0) {
                record(context, run, n, clock.spanNanos());
            }
        }
    }

    private void record(final SideContext context, final int run, final long n, final long nanos) {
        final double bytes = (double) n * messageBytes;
        if (messageBytes >= 1024) {
            context.record(run, RATE, bytes / nanos);
            context.record(run, TIME, nanos / 1e3 / n);
        } else {
            context.record(run, RATE, n * 1e3 / nanos);
            context.record(run, TIME, (double) nanos / n);
            context.record(run, PAYLOAD, bytes / nanos);
        }
    }

    private void receive(final SideContext context, final RunClock clock, final Connection in)
        throws InterruptedException {
        final byte[] buffer = new byte[messageBytes + STAMP_STRIDE];
        final byte[] expected = pattern(messageBytes);
        final long n = context.iterations();
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            try {
                seq = receiveRun(in, buffer, messageBytes, seq, n);
            } catch (final EOFException e) {
                throw new IllegalStateException("the sender closed before the end of run " + run + ": " + e.getMessage(),
                    e);
            }
            stamp(expected, messageBytes, seq);
            if (!Arrays.equals(buffer, 0, messageBytes, expected, 0, messageBytes)) {
                throw new IllegalStateException("the last message of run " + run + " differs from what was sent at byte "
                    + Arrays.mismatch(buffer, 0, messageBytes, expected, 0, messageBytes));
            }
            clock.publish(RECEIVED, n);
            clock.publish(LAST_RECEIVED, seq);
            clock.end();
        }
        try {
            final int length = in.recvBytesInto(buffer);
            throw new IllegalStateException("a message after the last one: length=" + length + " stamp="
                + (long) STAMP.get(buffer, 0));
        } catch (final EOFException expectedEnd) {
            // The sender closed its end and nothing was left: what should happen.
        }
    }

    /** One run of the sender; a method of its own so that the JIT compiles the loop whole. */
    private static long sendRun(final Connection out, final byte[] message, final long first, final long n) {
        long seq = first;
        for (long k = 0; k < n; k++) {
            seq++;
            stamp(message, message.length, seq);
            out.sendBytes(message);
        }
        return seq;
    }

    /** One run of the receiver: checks the length and every stamp of every message. */
    private static long receiveRun(
        final Connection in, final byte[] buffer, final int messageBytes, final long first, final long n)
        throws EOFException, InterruptedException {
        long seq = first;
        for (long k = 0; k < n; k++) {
            final int length = in.recvBytesInto(buffer);
            seq++;
            if (length != messageBytes) {
                throw new IllegalStateException("message " + seq + " has the wrong length: length=" + length
                    + " expected=" + messageBytes);
            }
            for (int at = 0; at < messageBytes; at += STAMP_STRIDE) {
                final long got = (long) STAMP.get(buffer, at);
                if (got != seq) {
                    throw new IllegalStateException("message out of order or torn: expected sequence " + seq
                        + " at byte " + at + ", got " + got);
                }
            }
        }
        return seq;
    }

    private static void stamp(final byte[] message, final int length, final long seq) {
        for (int at = 0; at < length; at += STAMP_STRIDE) {
            STAMP.set(message, at, seq);
        }
    }

    /** A message whose bytes are not all alike, so that a shifted or misplaced copy shows. */
    static byte[] pattern(final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
