package dev.mproc.benchmarks.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's ring buffers between JVMs, the way Aeron uses them: {@link OneToOneRingBuffer}
 * ({@link #oneToOneRing()}, id {@code agrona}) or {@link ManyToOneRingBuffer} ({@link #manyToOneRing()},
 * id {@code agrona-m2o}) over an {@link UnsafeBuffer} on a memory-mapped file, with Agrona's
 * defaults (bounds checks on: {@code agrona.disable.bounds.checks} is not set).
 * <p>
 * A channel is the file {@code <channel>.agrona} in the workload's namespace directory, of
 * {@code capacity + RingBufferDescriptor.TRAILER_LENGTH} bytes; a file of zeros is an empty ring.
 * Whichever side opens the channel first creates it ({@link Rendezvous#sharedZeroedFile}: written
 * under a name of its own, then hard-linked to the channel's name, which only one side can do), and
 * every side maps the file that holds the name. The layout inside is Agrona's:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  records: length (int), type (int), message, padded to 8 ...  |  capacity bytes
 *  +---------------------------------------------------------------+
 *  |  trailer: tail, head cache, head, correlation counter,        |  TRAILER_LENGTH bytes,
 *  |  consumer heartbeat, each on cache lines of its own           |  Agrona's descriptor
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Capacity</b>: a power of two (Agrona's rule), at least {@value #MIN_CAPACITY_BYTES} bytes
 * (4 MiB) and at least 8 times the largest message, because Agrona takes messages of at most an
 * eighth of the capacity: 8 MiB for the size sweep's 1 MiB messages (every size of the sweep then
 * runs on that ring), 4 MiB for the small messages of the echo and producer workloads. A few MiB
 * rather than the 256 KiB of mproc's Pipe ring: room for senders to run well ahead of the receiver
 * puts the peer at its best for throughput rather than handicapping it; the cost, a few MiB of
 * {@code /dev/shm} per channel while the workload runs, does not matter here.
 * <p>
 * The sender writes with {@code write(1, buffer, 0, length)}, retrying with
 * {@link Thread#onSpinWait()} while the ring is full; the caller's array is wrapped by one reused
 * {@link UnsafeBuffer} (re-wrapped only when the array changes). The receiver reads one message at
 * a time ({@code read(handler, 1)}) into the caller's array; {@code receive} spins on it until a
 * message is there. Agrona's rings have no blocking wait, so spinning is how they are used: a
 * receiver whose sender died spins until the harness ends its JVM.
 * <p>
 * Agrona's {@link UnsafeBuffer} needs {@code jdk.internal.misc} exported ({@link #jvmOptions()}); the
 * harness adds that to the sides of these workloads only. This class touches no Agrona class until
 * an end is opened, so the suite's own JVM can list these workloads without the flag.
 * <p>
 * Memory consistency effects: Agrona writes a record's length with release semantics after its
 * bytes and reads it with acquire semantics before them, so everything a sender did before
 * {@code send} happens-before its receiver's {@code receive} or {@code poll} returning that message.
 * Each end is used by one thread; many senders of the many-to-one ring may send at once.
 */
public final class AgronaTransport implements Transport {
    /** Least ring capacity: 4 MiB. */
    static final int MIN_CAPACITY_BYTES = 4 << 20;
    /** Agrona's largest message is this fraction of the capacity. */
    static final int CAPACITY_PER_MAX_MESSAGE = 8;
    /** Agrona requires a positive message type; every message has this one. */
    private static final int MESSAGE_TYPE = 1;
    private static final String SUFFIX = ".agrona";

    private final boolean manyToOne;

    private AgronaTransport(final boolean manyToOne) {
        this.manyToOne = manyToOne;
    }

    /** @return the transport over Agrona's {@link OneToOneRingBuffer} */
    public static AgronaTransport oneToOneRing() {
        return new AgronaTransport(false);
    }

    /** @return the transport over Agrona's {@link ManyToOneRingBuffer} */
    public static AgronaTransport manyToOneRing() {
        return new AgronaTransport(true);
    }

    @Override
    public String id() {
        return manyToOne ? "agrona-m2o" : "agrona";
    }

    @Override
    public String label() {
        return manyToOne ? "Agrona ManyToOneRingBuffer" : "Agrona OneToOneRingBuffer";
    }

    @Override
    public String peerSource() {
        return PeerRef.AGRONA;
    }

    @Override
    public List<String> jvmOptions() {
        return List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
    }

    @Override
    public boolean manyToOne() {
        return manyToOne;
    }

    /**
     * @param maxMessageBytes the largest message
     * @return the ring capacity for it: a power of two, at least {@link #MIN_CAPACITY_BYTES} and
     *         {@link #CAPACITY_PER_MAX_MESSAGE} times the message
     */
    static int capacityFor(final int maxMessageBytes) {
        if (maxMessageBytes < 0 || maxMessageBytes > (1 << 30) / CAPACITY_PER_MAX_MESSAGE) {
            throw new IllegalArgumentException("maxMessageBytes out of range: maxMessageBytes=" + maxMessageBytes
                + " limit=" + (1 << 30) / CAPACITY_PER_MAX_MESSAGE);
        }
        final int needed = Math.max(MIN_CAPACITY_BYTES, maxMessageBytes * CAPACITY_PER_MAX_MESSAGE);
        return Integer.bitCount(needed) == 1 ? needed : Integer.highestOneBit(needed) << 1;
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes)
        throws IOException {
        return new AgronaSender(MappedRing.open(context.namespace().directory(), channel, maxMessageBytes, manyToOne));
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes)
        throws IOException {
        return new AgronaReceiver(MappedRing.open(context.namespace().directory(), channel, maxMessageBytes,
            manyToOne));
    }

    /** One side's mapping of a channel's file and the ring over it. */
    private static final class MappedRing implements AutoCloseable {
        private final Arena arena;
        private final RingBuffer ring;

        private MappedRing(final Arena arena, final RingBuffer ring) {
            this.arena = arena;
            this.ring = ring;
        }

        static MappedRing open(final Path directory, final String channel, final int maxMessageBytes,
                               final boolean manyToOne) throws IOException {
            if (channel.isEmpty() || channel.contains("/")) {
                throw new IllegalArgumentException("channel name must be a plain file name: channel=" + channel);
            }
            final int capacity = capacityFor(maxMessageBytes);
            final long bytes = (long) capacity + RingBufferDescriptor.TRAILER_LENGTH;
            final Path file = Rendezvous.sharedZeroedFile(directory.resolve(channel + SUFFIX), bytes);
            final Arena arena = Arena.ofShared();
            try (FileChannel fileChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                final MemorySegment segment = fileChannel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
                final UnsafeBuffer buffer = new UnsafeBuffer(segment.address(), (int) bytes);
                final RingBuffer ring = manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
                return new MappedRing(arena, ring);
            } catch (final IOException | RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }

        /** Unmaps this side's view; the file stays for the other sides (the namespace deletes it). */
        @Override
        public void close() {
            arena.close();
        }
    }

    /** The sending end: {@code write} retried while the ring is full. */
    private static final class AgronaSender implements MessageSender {
        private final MappedRing mapped;
        private final RingBuffer ring;
        private final UnsafeBuffer source = new UnsafeBuffer();
        private byte[] wrapped;

        AgronaSender(final MappedRing mapped) {
            this.mapped = mapped;
            this.ring = mapped.ring;
        }

        @Override
        public void send(final byte[] message, final int length) {
            if (message != wrapped) {
                source.wrap(message);
                wrapped = message;
            }
            while (!ring.write(MESSAGE_TYPE, source, 0, length)) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
            mapped.close();
        }
    }

    /** The receiving end: one message per {@code read}, copied by this handler into the caller's array. */
    private static final class AgronaReceiver implements MessageReceiver, MessageHandler {
        private final MappedRing mapped;
        private final RingBuffer ring;
        /** Where the handler copies the message read now; set before each read. */
        private byte[] target;
        private int length;

        AgronaReceiver(final MappedRing mapped) {
            this.mapped = mapped;
            this.ring = mapped.ring;
        }

        @Override
        public int receive(final byte[] buffer) {
            target = buffer;
            while (ring.read(this, 1) == 0) {
                Thread.onSpinWait();
            }
            return length;
        }

        @Override
        public int poll(final byte[] buffer) {
            target = buffer;
            return ring.read(this, 1) == 0 ? -1 : length;
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
                              final int messageLength) {
            if (messageLength > target.length) {
                throw new IllegalArgumentException("message does not fit the buffer: length=" + messageLength
                    + " buffer=" + target.length);
            }
            buffer.getBytes(index, target, 0, messageLength);
            length = messageLength;
        }

        @Override
        public void close() {
            mapped.close();
        }
    }
}
