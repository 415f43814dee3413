package dev.mproc.benchmarks.jmh;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;

import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a shared-memory ring costs per message when one thread both writes and reads it: the
 * ring's own bookkeeping (claiming space, publishing, consuming, the memory ordering of each) and
 * the copies, without the cache-line transfers and wake-ups of a second process.
 *
 * <p>Why: the cross-process figures mix the ring's cost with the machine's core-to-core latency;
 * this separates the part mproc controls. Measured for a one-way {@link Pipe} carrying raw 64-byte
 * messages, for a {@link Queue} carrying an {@code Integer} through the default codec, and, as the
 * peer, for Agrona's {@link OneToOneRingBuffer} carrying the same 64-byte messages over a file
 * mapped in the same namespace directory. Each is measured one message at a time (one write then
 * one read per operation) and, for the byte rings, in batches of {@value #BATCH} (all writes,
 * then all reads, one message at a time; reported per message), which shows the cost without the
 * reader always finding the line the writer has just written.
 *
 * <p>Every ring holds {@value #RING_BYTES} bytes, so the rings cycle through the same amount of
 * cache. Each batched message has its own contents, so that a test can check order as well as
 * bytes.
 *
 * <p>Agrona needs {@code jdk.internal.misc} exported to run its buffers: only its two benchmarks'
 * forks get {@code --add-exports}, so that mproc is measured in JVMs with mproc's own flags.
 *
 * <p>Not final, like every JMH benchmark and state class: JMH's generated code extends it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = RingBenchmark.NATIVE_ACCESS)
public class RingBenchmark {

    /** Bytes of each message of the byte rings. */
    static final int MESSAGE_BYTES = 64;
    /** Messages per operation of the batched benchmarks. */
    static final int BATCH = 64;
    /** Bytes of every ring's data area (per direction for the pipe). */
    static final int RING_BYTES = 64 * 1024;
    /** Every fork's flag: mproc maps files through FFM. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The Agrona forks' extra flag: Agrona 2 reaches its Unsafe through this package. */
    static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** The value the queue carries, outside {@code Integer}'s cache as most integers are. */
    static final Integer QUEUE_VALUE = 123_456_789;

    /** One-way pipe, right end sending, left end receiving. */
    @Benchmark
    public int pipeSendRecv(final PipeRing ring) throws Exception {
        ring.sender.sendBytes(ring.message);
        return ring.receiver.recvBytesInto(ring.received);
    }

    /** One-way pipe: {@value #BATCH} sends, then {@value #BATCH} receives; the figure is per message. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pipeSendRecvBatch(final PipeRing ring, final Blackhole blackhole) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            ring.sender.sendBytes(ring.batch, i * MESSAGE_BYTES, MESSAGE_BYTES);
        }
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(ring.receiver.recvBytesInto(ring.receivedBatch, i * MESSAGE_BYTES));
        }
    }

    /** Queue: {@code put} of an {@code Integer}, then {@code poll}, both through the default codec. */
    @Benchmark
    public Integer queuePutPoll(final QueueRing ring) throws Exception {
        ring.queue.put(QUEUE_VALUE);
        final Integer value = ring.queue.poll();
        if (value == null) {
            throw new IllegalStateException("poll found nothing right after a put: " + ring.queue);
        }
        return value;
    }

    /** The peer: Agrona's one-to-one ring, one write then one read of one message. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE_ACCESS, AGRONA_EXPORTS})
    public int agronaWriteRead(final AgronaRing ring) {
        ring.write(ring.messageBuffer, 0);
        ring.singleHandler.offset = 0;
        return ring.readOne(ring.singleHandler);
    }

    /** The peer: {@value #BATCH} writes, then {@value #BATCH} reads of one message each; per message. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE_ACCESS, AGRONA_EXPORTS})
    @OperationsPerInvocation(BATCH)
    public void agronaWriteReadBatch(final AgronaRing ring, final Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            ring.write(ring.batchBuffer, i * MESSAGE_BYTES);
        }
        ring.batchHandler.offset = 0;
        for (int i = 0; i < BATCH; i++) {
            blackhole.consume(ring.readOne(ring.batchHandler));
        }
    }

    /** What the byte rings' states hold: a namespace, the messages to send and room to receive them. */
    abstract static class Messages {
        Namespace namespace;
        /** The message of the one-at-a-time benchmarks. */
        final byte[] message = message(0);
        /** The {@value RingBenchmark#BATCH} messages of a batch, back to back, each with its own contents. */
        final byte[] batch = new byte[BATCH * MESSAGE_BYTES];
        final byte[] received = new byte[MESSAGE_BYTES];
        final byte[] receivedBatch = new byte[BATCH * MESSAGE_BYTES];

        Messages() {
            for (int i = 0; i < BATCH; i++) {
                System.arraycopy(message(i), 0, batch, i * MESSAGE_BYTES, MESSAGE_BYTES);
            }
        }

        private static byte[] message(final int index) {
            final byte[] bytes = new byte[MESSAGE_BYTES];
            for (int i = 0; i < MESSAGE_BYTES; i++) {
                bytes[i] = (byte) (index * 131 + i);
            }
            return bytes;
        }
    }

    /** A one-way pipe in a private namespace. */
    @State(Scope.Thread)
    public static class PipeRing extends Messages {
        Pipe pipe;
        Connection sender;
        Connection receiver;

        /** Creates the namespace and the pipe. */
        @Setup(Level.Trial)
        public void setUp() {
            namespace = Namespace.createPrivate();
            pipe = Pipe.builder().duplex(false).capacity(RING_BYTES).create(namespace);
            sender = pipe.right();
            receiver = pipe.left();
        }

        /** Closes the pipe and deletes the namespace with its file. */
        @TearDown(Level.Trial)
        public void tearDown() {
            if (pipe != null) {
                pipe.close();
            }
            namespace.close();
        }
    }

    /** A queue in a private namespace. */
    @State(Scope.Thread)
    public static class QueueRing {
        Namespace namespace;
        Queue<Integer> queue;

        /** Creates the namespace and the queue. */
        @Setup(Level.Trial)
        public void setUp() {
            namespace = Namespace.createPrivate();
            queue = Queue.<Integer>builder().capacity(RING_BYTES).create(namespace);
        }

        /** Closes the queue and deletes the namespace with its file. */
        @TearDown(Level.Trial)
        public void tearDown() {
            if (queue != null) {
                queue.close();
            }
            namespace.close();
        }
    }

    /** Agrona's one-to-one ring over a file mapped in a private namespace. */
    @State(Scope.Thread)
    public static class AgronaRing extends Messages {
        /** Agrona's message type; any positive value. */
        private static final int MESSAGE_TYPE = 1;

        ScratchFile file;
        OneToOneRingBuffer ring;
        UnsafeBuffer messageBuffer;
        UnsafeBuffer batchBuffer;
        final CopyInto singleHandler = new CopyInto(received);
        final CopyInto batchHandler = new CopyInto(receivedBatch);

        /** Creates the namespace, maps the ring's file in it and lays Agrona's ring over it. */
        @Setup(Level.Trial)
        public void setUp() {
            namespace = Namespace.createPrivate();
            file = ScratchFile.create(namespace, "agrona-ring", RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH);
            ring = new OneToOneRingBuffer(new UnsafeBuffer(file.segment().asByteBuffer()));
            messageBuffer = new UnsafeBuffer(message);
            batchBuffer = new UnsafeBuffer(batch);
        }

        /** Unmaps the ring's file and deletes the namespace with it. */
        @TearDown(Level.Trial)
        public void tearDown() {
            // Agrona reads the mapping through raw addresses: after the unmap below, a stray call
            // must meet a null, not unmapped memory.
            ring = null;
            if (file != null) {
                file.close();
            }
            namespace.close();
        }

        /** Writes the {@value RingBenchmark#MESSAGE_BYTES}-byte message at {@code offset} of {@code source}. */
        void write(final UnsafeBuffer source, final int offset) {
            if (!ring.write(MESSAGE_TYPE, source, offset, MESSAGE_BYTES)) {
                throw new IllegalStateException("Agrona ring full: capacity=" + ring.capacity()
                    + " size=" + ring.size());
            }
        }

        /**
         * Reads exactly one message, as a pipe's receive does; Agrona could take many in one call.
         * A read that meets the padding record Agrona leaves at the ring's end consumes only the
         * padding and returns 0, so then a second read takes the message from the ring's start.
         */
        int readOne(final CopyInto handler) {
            if (ring.read(handler, 1) != 1 && ring.read(handler, 1) != 1) {
                throw new IllegalStateException("Agrona ring empty after a write: size=" + ring.size());
            }
            return handler.lastLength;
        }
    }

    /** Copies each message it is handed into its array, one after another from {@link #offset} on. */
    static final class CopyInto implements MessageHandler {
        private final byte[] target;
        int offset;
        int lastLength;

        CopyInto(final byte[] target) {
            this.target = target;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
                              final int length) {
            buffer.getBytes(index, target, offset, length);
            offset += length;
            lastLength = length;
        }
    }
}
