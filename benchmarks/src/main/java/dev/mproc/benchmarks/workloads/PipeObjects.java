package dev.mproc.benchmarks.workloads;

import java.io.EOFException;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;

/**
 * Small values through a one-way {@link Pipe} from one JVM to another: {@code send(Integer)} in
 * side A, {@code recv()} in side B, through the default codec, ring and wait strategy. Python's
 * {@code conn.send(obj)} / {@code conn.recv()}.
 * <p>
 * The values are the sequence numbers 1, 2, 3, ... boxed as the sender goes (as a caller's code
 * would box them); decoding makes a new {@code Integer} per message in the receiver. So unlike the
 * byte workloads, both loops allocate one small object per message: the young generation's
 * collections are part of the figure.
 * <p>
 * Checks: the receiver compares every value with the next sequence number; after each run side A
 * checks that side B received exactly what it sent; after the last run side B gets
 * {@link EOFException} once side A has closed its end.
 * <pre>
 *   body offset 0   RunClock: barrier; side A's slot; side B's slot (value 0: values received,
 *                   value 1: last value received)
 * </pre>
 */
public final class PipeObjects implements Workload {
    static final String PIPE = "pipe";
    static final String RATE = "throughput";
    static final String TIME = "time per message";

    private static final int RECEIVED = 0;
    private static final int LAST_RECEIVED = 1;

    @Override
    public String name() {
        return "pipe-objects";
    }

    @Override
    public String title() {
        return "Small values through a one-way Pipe from one JVM to another: Connection.send(Integer) -> recv(), "
            + "default codec, ring (256 KiB) and wait strategy; values 1, 2, 3, ... (boxed by the sender, a new "
            + "Integer per message decoded by the receiver); rate = messages / (last end - first start). "
            + "Peer: CPython Pipe send/recv of a 64-byte bytes object (pickled), its closest figure.";
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
        return smoke ? 20_000 : 5_000_000;
    }

    @Override
    public String iterationUnit() {
        return "Integer messages";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(RATE, "M msg/s", Better.HIGHER, ">= 10 M msg/s",
                PeerRef.cpython(PeerKeys.PY_PIPE_64B_PICKLED, "Pipe send/recv pickled 64 B")),
            Figure.of(TIME, "ns/op", Better.LOWER, "",
                PeerRef.cpython(PeerKeys.PY_PIPE_64B_PICKLED, "Pipe send/recv pickled 64 B")));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        if (context.totalIterations() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the values are ints: at most " + Integer.MAX_VALUE
                + " messages in all, asked for " + context.totalIterations());
        }
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

    private static void send(final SideContext context, final RunClock clock, final Connection out) {
        final long n = context.iterations();
        int value = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            value = sendRun(out, value, n);
            clock.end();
            final long received = clock.value(1, RECEIVED);
            final long last = clock.value(1, LAST_RECEIVED);
            if (received != n || last != value) {
                throw new IllegalStateException("the receiver did not get what was sent: sent=" + n + " received="
                    + received + " last sent=" + value + " last received=" + last + " (run " + run + ")");
            }
            if (run >= 0) {
                final long nanos = clock.spanNanos();
                context.record(run, RATE, n * 1e3 / nanos);
                context.record(run, TIME, (double) nanos / n);
            }
        }
    }

    private static void receive(final SideContext context, final RunClock clock, final Connection in)
        throws InterruptedException {
        final long n = context.iterations();
        int value = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            try {
                value = receiveRun(in, value, n);
            } catch (final EOFException e) {
                throw new IllegalStateException("the sender closed before the end of run " + run + ": " + e.getMessage(),
                    e);
            }
            clock.publish(RECEIVED, n);
            clock.publish(LAST_RECEIVED, value);
            clock.end();
        }
        try {
            final Object extra = in.recv();
            throw new IllegalStateException("a value after the last one: " + extra);
        } catch (final EOFException expectedEnd) {
            // The sender closed its end and nothing was left: what should happen.
        }
    }

    /** One run of the sender; a method of its own so that the JIT compiles the loop whole. */
    private static int sendRun(final Connection out, final int first, final long n) {
        int value = first;
        for (long k = 0; k < n; k++) {
            value++;
            out.send(value);
        }
        return value;
    }

    /** One run of the receiver: every value must be the next sequence number. */
    private static int receiveRun(final Connection in, final int first, final long n)
        throws EOFException, InterruptedException {
        int value = first;
        for (long k = 0; k < n; k++) {
            final Object got = in.recv();
            value++;
            if (!(got instanceof Integer i) || i != value) {
                throw new IllegalStateException("value out of order: expected " + value + ", got " + got
                    + (got == null ? "" : " (" + got.getClass().getName() + ")"));
            }
        }
        return value;
    }
}
