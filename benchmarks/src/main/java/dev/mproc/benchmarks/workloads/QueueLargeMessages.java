package dev.mproc.benchmarks.workloads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import dev.mproc.benchmarks.Better;
import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.benchmarks.Workload;
import dev.mproc.ipc.Queue;

/**
 * 1 MiB {@code byte[]} values through a {@link Queue} from one JVM to another: {@code put(byte[])}
 * in side A, {@code take()} in side B, default codec, ring (1 MiB: each value goes in fragments of
 * a quarter of it) and wait strategy. The queue counterpart of {@link PipeBytes#large()}: where a
 * pipe's {@code sendBytes} copies the caller's array into the ring and {@code recvBytesInto} copies
 * it out into the caller's, a queue encodes the value first (one more copy), and {@code take()}
 * gathers the fragments into a new array and decodes it (a new array again): four copies and two
 * 1 MiB allocations per value.
 * <p>
 * Checks: every value carries its sequence number at every 4096th byte; the consumer checks each
 * value's length and stamps as it arrives, the last value of each run byte for byte, and after
 * each run that it took exactly what was put and that the queue is empty.
 * <pre>
 *   body offset 0   RunClock: barrier; side A's slot; side B's slot (value 0: values taken,
 *                   value 1: last sequence number taken)
 * </pre>
 */
public final class QueueLargeMessages implements Workload {
    static final String QUEUE = "queue";
    static final String RATE = "throughput";
    static final String TIME = "time per message";
    static final int MESSAGE_BYTES = 1 << 20;

    private static final int TAKEN = 0;
    private static final int LAST_TAKEN = 1;
    private static final VarHandle STAMP =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public String name() {
        return "queue-bytes-1mib";
    }

    @Override
    public String title() {
        return "1 MiB byte[] values through a Queue from one JVM to another: put(byte[]) -> take(), default codec, "
            + "ring (1 MiB: 256 KiB fragments) and wait strategy; encoding, fragmenting, gathering and decoding make "
            + "four copies and two 1 MiB allocations per value; GB = 1e9 bytes. Peer: C memcpy of 1 MiB blocks in "
            + "cache (one copy). CPython prints no large-value Queue figure.";
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
        return smoke ? 20 : 1_000;
    }

    @Override
    public String iterationUnit() {
        return "values of 1024 KiB";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.of(RATE, "GB/s", Better.HIGHER, "",
                PeerRef.cLimit(PeerKeys.C_MEMCPY_1MIB, "C memcpy 1 MiB")),
            Figure.of(TIME, "us", Better.LOWER, ""));
    }

    @Override
    public void runSide(final SideContext context) throws Exception {
        final RunClock clock = new RunClock(context.region(), 0, 2, context.side());
        try (Queue<byte[]> queue = Queue.create(context.namespace(), QUEUE)) {
            if (context.side() == 0) {
                clock.guard(() -> produce(context, clock, queue));
            } else {
                clock.guard(() -> consume(context, clock, queue));
            }
        }
    }

    private static void produce(final SideContext context, final RunClock clock, final Queue<byte[]> queue)
        throws InterruptedException {
        final byte[] value = PipeBytes.pattern(MESSAGE_BYTES);
        final long n = context.iterations();
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            seq = putRun(queue, value, seq, n);
            clock.end();
            final long taken = clock.value(1, TAKEN);
            final long last = clock.value(1, LAST_TAKEN);
            if (taken != n || last != seq) {
                throw new IllegalStateException("the consumer did not get what was put: put=" + n + " taken=" + taken
                    + " last put=" + seq + " last taken=" + last + " (run " + run + ")");
            }
            if (run >= 0) {
                final long nanos = clock.spanNanos();
                context.record(run, RATE, (double) n * MESSAGE_BYTES / nanos);
                context.record(run, TIME, nanos / 1e3 / n);
            }
        }
    }

    private static void consume(final SideContext context, final RunClock clock, final Queue<byte[]> queue)
        throws InterruptedException {
        final byte[] expected = PipeBytes.pattern(MESSAGE_BYTES);
        final long n = context.iterations();
        long seq = 0;
        for (int run = -context.warmups(); run < context.runs(); run++) {
            clock.begin();
            byte[] lastValue = null;
            for (long k = 0; k < n; k++) {
                lastValue = queue.take();
                seq++;
                checkStamps(lastValue, seq);
            }
            stamp(expected, seq);
            if (lastValue != null && !Arrays.equals(lastValue, expected)) {
                throw new IllegalStateException("the last value of run " + run + " differs from what was put at byte "
                    + Arrays.mismatch(lastValue, expected));
            }
            final byte[] extra = queue.poll();
            if (extra != null) {
                throw new IllegalStateException("the queue is not empty after every value was taken: a value of "
                    + extra.length + " bytes is left (run " + run + ")");
            }
            clock.publish(TAKEN, n);
            clock.publish(LAST_TAKEN, seq);
            clock.end();
        }
    }

    /** One run of the producer; a method of its own so that the JIT compiles the loop whole. */
    private static long putRun(final Queue<byte[]> queue, final byte[] value, final long first, final long n)
        throws InterruptedException {
        long seq = first;
        for (long k = 0; k < n; k++) {
            seq++;
            stamp(value, seq);
            queue.put(value);
        }
        return seq;
    }

    private static void checkStamps(final byte[] value, final long seq) {
        if (value.length != MESSAGE_BYTES) {
            throw new IllegalStateException("value " + seq + " has the wrong length: length=" + value.length
                + " expected=" + MESSAGE_BYTES);
        }
        for (int at = 0; at < MESSAGE_BYTES; at += PipeBytes.STAMP_STRIDE) {
            final long got = (long) STAMP.get(value, at);
            if (got != seq) {
                throw new IllegalStateException("value out of order or torn: expected sequence " + seq + " at byte "
                    + at + ", got " + got);
            }
        }
    }

    private static void stamp(final byte[] value, final long seq) {
        for (int at = 0; at < value.length; at += PipeBytes.STAMP_STRIDE) {
            STAMP.set(value, at, seq);
        }
    }
}
