package dev.mproc.benchmarks.transport;

import java.nio.file.Path;
import java.util.List;

import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;
import dev.mproc.journal.ChronicleStderr;
import dev.mproc.journal.JournalJvmOptions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Chronicle Queue (OSS 2026.4) as a Java peer: each channel is a queue directory
 * {@code chronicle-<channel>} in the workload's namespace directory, the sender holds an
 * {@link ExcerptAppender} and the receiver an {@link ExcerptTailer} started at the queue's start.
 * <p>
 * A message is one excerpt holding exactly its bytes, written and read the documented low-level
 * way without allocating: {@code writingDocument()} with {@code wire().bytes().write(array, 0,
 * length)}, and {@code readingDocument()} with {@code wire().bytes().read(buffer, 0, length)},
 * where the excerpt's length is the document's {@code readRemaining()}. (A capturing lambda for
 * {@code writeBytes(b -> ...)} would allocate per message.) Lengths round-trip exactly from 1 byte
 * up; Chronicle cannot hold an empty excerpt (one comes back 1 byte long), so a 0-byte message is
 * refused.
 * <p>
 * Either side may open first, or both at once: each builds the same queue, whoever comes first
 * creating the directory and its {@code metadata.cq4t} table (Chronicle creates the table file
 * exclusively and writes its header under a file lock, so two JVMs building the queue in the same
 * millisecond agree; tried), and a tailer on a queue nobody has written yet simply finds nothing
 * until the appender writes. Nothing waits for the other side, so there is no timeout to hit.
 * <p>
 * Chronicle tailers have no blocking wait: {@link MessageReceiver#receive} spins
 * ({@link Thread#onSpinWait()}) on {@code readingDocument()} until an excerpt is there, and
 * {@link MessageReceiver#poll} returns -1 when none is. The appender never waits for the tailer
 * either: a queue is unbounded (see below).
 * <p>
 * Settings, the same on both sides:
 * <ul>
 *   <li>roll cycle {@link RollCycles#FAST_DAILY} (Chronicle's default): one file per UTC day, so a
 *   queue never rolls during a workload unless the workload spans 00:00 UTC, when Chronicle rolls
 *   to the next file and the tailer follows it. ({@code WEEKLY} would be safer still, but in
 *   2026.4 a tailer in another JVM never sees a weekly queue's excerpts.)</li>
 *   <li>block size {@value #BLOCK_SIZE} bytes (64 MiB, Chronicle's 64-bit default, set explicitly):
 *   Chronicle maps its files in blocks of this size and an excerpt may be at most a quarter of it,
 *   {@value #MAX_MESSAGE_BYTES} bytes (16 MiB); opening a channel for larger messages fails.</li>
 * </ul>
 * Chronicle keeps every excerpt: a channel's files grow by each message plus a 4-byte header (and
 * index entries), in memory under /dev/shm, until the harness deletes the namespace. Pages are
 * faulted in as the appender reaches them (Chronicle OSS pretouches only when asked).
 * <p>
 * Memory consistency effects: an excerpt's bytes are written before its header is published with
 * an ordered store, and the tailer reads the header with a volatile load before the bytes, so
 * everything the sender wrote into a message happens-before the receiver's copy of it.
 * <p>
 * JVM setup: Chronicle needs the options of {@link #jvmOptions()} on JDK 25. This class also sets
 * {@code chronicle.analytics.disable=true} in code before any Chronicle class initialises, and
 * quietens SLF4J's "no providers" notice ({@code slf4j.internal.verbosity=ERROR}, unless set).
 * With no SLF4J provider on the class path Chronicle's warnings and errors would go nowhere, so
 * they are sent to stderr ({@link ChronicleStderr}, the journal module's, as the journal does);
 * its performance and debug notes ("Took 29 ms to add mapping ...") stay silent.
 */
public final class ChronicleTransport implements Transport {
    /** Chronicle's mapped block size; see the class comment. */
    static final long BLOCK_SIZE = 64L << 20;
    /** The largest excerpt Chronicle writes with {@link #BLOCK_SIZE}: a quarter of it. */
    static final int MAX_MESSAGE_BYTES = (int) (BLOCK_SIZE / 4);

    private static final String DIRECTORY_PREFIX = "chronicle-";

    static {
        // Before any Chronicle class initialises (Workloads creates this transport first thing in
        // every JVM): Chronicle's analytics would otherwise phone home on first use.
        System.setProperty("chronicle.analytics.disable", "true");
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    /** Creates the transport; nothing of Chronicle's loads until a channel is opened. */
    public ChronicleTransport() {
    }

    @Override
    public String id() {
        return "chronicle";
    }

    @Override
    public String label() {
        return "Chronicle Queue";
    }

    @Override
    public String peerSource() {
        return PeerRef.CHRONICLE;
    }

    /**
     * What Chronicle Queue 2026.4 needs on Temurin 25, each checked by leaving it out:
     * <ul>
     *   <li>{@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED}: Chronicle maps its files through
     *   {@code sun.nio.ch.FileChannelImpl}; without it building a queue fails
     *   ({@code IllegalAccessError}).</li>
     *   <li>{@code --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED}: Chronicle core's
     *   reflective {@code ByteBuffer} cleaner; without it Chronicle falls back to another cleaner
     *   but logs a warning in every JVM.</li>
     *   <li>{@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED}: Chronicle reaches the JDK's
     *   {@code map0} and turns off close-on-interrupt of its channels by reflection; without it
     *   building a queue fails ({@code IllegalAccessException: class is not public:
     *   sun.nio.ch.UnixFileDispatcherImpl.map0}).</li>
     *   <li>{@code --enable-native-access=ALL-UNNAMED}: jffi (under Chronicle's posix layer) calls
     *   {@code System.load}, which warns without it (the harness passes it to every side too).</li>
     *   <li>{@code --sun-misc-unsafe-memory-access=allow}: jffi and Chronicle use
     *   {@code sun.misc.Unsafe} memory access, which JDK 25 warns about on first use without
     *   it.</li>
     *   <li>{@code -Dchronicle.analytics.disable=true}: always (also set in code).</li>
     * </ul>
     * Nothing else is needed: Chronicle's only other complaint, no access to
     * {@code ArraysSupport.vectorizedMismatch} ({@code jdk.internal.util}), is a debug note about
     * byte comparisons these workloads never make.
     *
     * @return the options above
     */
    @Override
    public List<String> jvmOptions() {
        return JournalJvmOptions.REQUIRED;
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes) {
        return sender(context.namespace().directory(), channel, maxMessageBytes);
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes) {
        return receiver(context.namespace().directory(), channel, maxMessageBytes);
    }

    /**
     * @param parent          the directory holding the channel's queue directory
     * @param channel         the channel's name
     * @param maxMessageBytes the largest message that will be sent
     * @return the appending end, its queue created if no one has yet
     */
    static MessageSender sender(final Path parent, final String channel, final int maxMessageBytes) {
        final SingleChronicleQueue queue = openQueue(parent, channel, maxMessageBytes);
        try {
            return new Sender(queue, queue.createAppender(), maxMessageBytes);
        } catch (final RuntimeException | Error e) {
            queue.close();
            throw e;
        }
    }

    /**
     * @param parent          the directory holding the channel's queue directory
     * @param channel         the channel's name
     * @param maxMessageBytes the largest message that will be received
     * @return the tailing end, at the queue's start, its queue created if no one has yet
     */
    static MessageReceiver receiver(final Path parent, final String channel, final int maxMessageBytes) {
        final SingleChronicleQueue queue = openQueue(parent, channel, maxMessageBytes);
        try {
            return new Receiver(queue, queue.createTailer().toStart());
        } catch (final RuntimeException | Error e) {
            queue.close();
            throw e;
        }
    }

    private static SingleChronicleQueue openQueue(final Path parent, final String channel, final int maxMessageBytes) {
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("Chronicle Queue excerpts hold 1 to " + MAX_MESSAGE_BYTES
                + " bytes with a block size of " + BLOCK_SIZE + ": maxMessageBytes=" + maxMessageBytes);
        }
        ChronicleStderr.install();
        return SingleChronicleQueueBuilder.binary(parent.resolve(DIRECTORY_PREFIX + channel))
            .rollCycle(RollCycles.FAST_DAILY)
            .blockSize(BLOCK_SIZE)
            .build();
    }

    /** The appending end; one thread. */
    private static final class Sender implements MessageSender {
        private final SingleChronicleQueue queue;
        private final ExcerptAppender appender;
        private final int maxMessageBytes;

        Sender(final SingleChronicleQueue queue, final ExcerptAppender appender, final int maxMessageBytes) {
            this.queue = queue;
            this.appender = appender;
            this.maxMessageBytes = maxMessageBytes;
        }

        /** Appends one excerpt; Chronicle never waits for a reader, so this never blocks on one. */
        @Override
        public void send(final byte[] message, final int length) {
            if (length < 1 || length > maxMessageBytes) {
                throw new IllegalArgumentException("message length out of range: length=" + length
                    + " maxMessageBytes=" + maxMessageBytes + " (Chronicle cannot hold an empty excerpt)");
            }
            try (DocumentContext document = appender.writingDocument()) {
                try {
                    document.wire().bytes().write(message, 0, length);
                } catch (final RuntimeException | Error e) {
                    // Closing commits what was written: a half message must not be published.
                    document.rollbackOnClose();
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            try {
                appender.close();
            } finally {
                queue.close();
            }
        }
    }

    /** The tailing end; one thread. */
    private static final class Receiver implements MessageReceiver {
        private final SingleChronicleQueue queue;
        private final ExcerptTailer tailer;

        Receiver(final SingleChronicleQueue queue, final ExcerptTailer tailer) {
            this.queue = queue;
            this.tailer = tailer;
        }

        /** Spins on the tailer: Chronicle tailers have no blocking wait. */
        @Override
        public int receive(final byte[] buffer) {
            int length;
            while ((length = poll(buffer)) < 0) {
                Thread.onSpinWait();
            }
            return length;
        }

        @Override
        public int poll(final byte[] buffer) {
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    return -1;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final long length = bytes.readRemaining();
                if (length > buffer.length) {
                    // Leave the excerpt where it is rather than lose it.
                    document.rollbackOnClose();
                    throw new IllegalStateException("excerpt larger than the buffer: length=" + length
                        + " buffer=" + buffer.length);
                }
                final int copied = bytes.read(buffer, 0, (int) length);
                if (copied != length) {
                    throw new IllegalStateException("short read of an excerpt: copied=" + copied + " length=" + length);
                }
                return copied;
            }
        }

        @Override
        public void close() {
            try {
                tailer.close();
            } finally {
                queue.close();
            }
        }
    }
}
