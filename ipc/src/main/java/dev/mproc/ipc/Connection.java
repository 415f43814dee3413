package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.ProcessIdentity;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;

import java.io.EOFException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Sends values
 * (through the pipe's {@link Codec}) or raw bytes to the other end, and receives what the other
 * end sent, in order, each message whole, of any size.
 * <p>
 * <b>Threads.</b> As in Python, an end is used by one sending thread and one receiving thread at
 * a time; for many producers or consumers use a {@link Queue}. An end may move between processes
 * (a task captures it, or a second handle attaches to it): the handle that uses it last takes it
 * over and carries on from where the previous one stopped, which is how a child process inherits
 * an end from its parent. Two handles of one end used at the same moment would corrupt it.
 * <p>
 * <b>Closing and EOF.</b> {@link #close()} on the handle that uses an end marks the end closed
 * (closing a handle that never used its end, or whose end was since taken over by another
 * handle, releases only that handle: so the Python idiom of closing the parent's copy of the
 * child's end after starting the child is harmless; the price is that an end its creating
 * process closes without ever using it is not seen as closed by the peer, which then waits until
 * its timeout or until the creating process exits). The other end then receives
 * what was already sent and after that gets {@link EOFException} from {@link #recv()}; its
 * {@link #send} throws {@link ChannelClosedException}. The same happens when the process using
 * an end dies without closing it (checked every few tens of milliseconds while blocked), so a
 * receiver is never left waiting for a dead sender; a message the dead sender had half written
 * is dropped, and every message it completed is delivered first. Any call on a closed handle
 * throws {@link ChannelClosedException}, including calls blocked in other threads when it closes
 * (they return within one sleep slice, 10 ms by default).
 * <p>
 * <b>Blocking.</b> {@code send} waits while the ring is full (uninterruptibly, as Python's does;
 * an interrupt is kept for later), {@code recv} while it is empty (interruptibly), with the
 * pipe's wait strategy: spinning first, then sleeping on a futex.
 * <p>
 * Memory consistency effects: actions in a thread prior to sending a message <i>happen-before</i>
 * actions subsequent to the receipt of that message by {@code recv}, {@code recvBytes} or
 * {@code recvBytesInto} in another thread of any process, and {@code poll} returning true
 * <i>happens-after</i> the send of the message it found.
 */
public final class Connection implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final long TOKEN = ProcessIdentity.current().token();
    /** How often a blocked call may read /proc to ask whether the peer's process is alive. */
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String file;
    private final boolean left;
    /** The codec when one was given (serialised with the handle), else null for the default. */
    private final Codec<Object> codec;

    private final transient MappedRegion region;
    private final transient WaitStrategy strategy;
    private final transient Codec<Object> effectiveCodec;
    private final transient RingWriter writer;
    private final transient RingReader reader;
    private final transient long myEnd;
    private final transient long peerEnd;
    private final transient long handleId;
    private transient EncodingBuffer encoding = new EncodingBuffer();
    private final transient BooleanSupplier cancelledWrite = this::cannotSend;
    private final transient PeerWatch peer = new PeerWatch();
    private final transient BooleanSupplier closedCheck = this::isClosed;
    private transient volatile boolean closed;
    /** The last small array sent from, and its segment (see segmentOf); kept only if small. */
    private transient byte[] lastArray;
    private transient MemorySegment lastSegment;
    private static final int REUSED_ARRAY_MAX = 64 * 1024;

    Connection(final MappedRegion region, final boolean left, final Codec<Object> codec, final WaitStrategy strategy,
               final boolean claimNow) {
        this.file = region.file().toString();
        this.left = left;
        this.codec = codec;
        this.region = region;
        this.strategy = strategy == null ? WaitStrategies.defaultStrategy() : strategy;
        this.effectiveCodec = codec == null ? DefaultCodec.instance() : codec;
        final boolean duplex = region.getInt(PipeLayout.DUPLEX_OFFSET) != 0;
        final int capacity = region.getInt(PipeLayout.CAPACITY_OFFSET);
        final long rightToLeft = PipeLayout.RIGHT_TO_LEFT_OFFSET;
        final long leftToRight = PipeLayout.leftToRightOffset(capacity);
        this.myEnd = left ? PipeLayout.LEFT_END_OFFSET : PipeLayout.RIGHT_END_OFFSET;
        this.peerEnd = left ? PipeLayout.RIGHT_END_OFFSET : PipeLayout.LEFT_END_OFFSET;
        this.handleId = ThreadLocalRandom.current().nextLong() | 1L;
        if (left) {
            this.reader = new RingReader(region, rightToLeft, this.strategy);
            this.writer = duplex ? new RingWriter(region, leftToRight, this.strategy) : null;
        } else {
            this.writer = new RingWriter(region, rightToLeft, this.strategy);
            this.reader = duplex ? new RingReader(region, leftToRight, this.strategy) : null;
        }
        if (claimNow) {
            claim();
        }
    }

    /**
     * Attaches to one end of an existing pipe file, using the default codec and wait strategy.
     *
     * @param file the pipe's file
     * @param left true for the left end, false for the right
     * @return a handle on that end, which takes the end over from any previous handle
     */
    public static Connection attach(final Path file, final boolean left) {
        return attach(file, left, null, null);
    }

    /**
     * @param file     the pipe's file
     * @param left     true for the left end, false for the right
     * @param codec    how values are encoded, or {@code null} for {@link DefaultCodec}
     * @param strategy how blocked calls wait, or {@code null} for the default
     * @return a handle on that end
     */
    @SuppressWarnings("unchecked")
    public static Connection attach(final Path file, final boolean left, final Codec<?> codec,
                                    final WaitStrategy strategy) {
        final MappedRegion region = MappedRegion.attach(Objects.requireNonNull(file, "file"), Pipe.KIND,
            PipeLayout.LAYOUT_VERSION);
        return new Connection(region, left, (Codec<Object>) codec, strategy, true);
    }

    /**
     * A second handle on this end whose blocking calls wait with {@code strategy}; it takes the end
     * over when first used (stop using this one).
     *
     * @param strategy how blocked calls wait
     * @return the new handle
     */
    public Connection withWaitStrategy(final WaitStrategy strategy) {
        return attach(Path.of(file), left, codec, Objects.requireNonNull(strategy, "strategy"));
    }

    // ---------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------

    /**
     * Sends a value, encoded with the pipe's codec.
     *
     * @param value the value, not null
     * @throws NullPointerException    if {@code value} is null
     * @throws dev.mproc.core.CodecException if the codec refuses the value (nothing is sent)
     * @throws ChannelClosedException  if this end or the peer is closed
     * @throws UnsupportedOperationException if this end only receives
     */
    public void send(final Object value) {
        Objects.requireNonNull(value, "value");
        checkCanSend();
        encoding.clear();
        try {
            effectiveCodec.encode(value, encoding);
            write(encoding.segment(), 0, encoding.length(), false);
        } finally {
            if (encoding.capacity() > QueueChannel.KEPT_BUFFER_BYTES) {
                encoding = new EncodingBuffer();
            }
        }
    }

    /**
     * Sends raw bytes, received whole by {@link #recvBytes()} on the other end.
     *
     * @param bytes the message
     */
    public void sendBytes(final byte[] bytes) {
        sendBytes(bytes, 0, Objects.requireNonNull(bytes, "bytes").length);
    }

    /**
     * Sends {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @param bytes  the array
     * @param offset the first byte to send
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public void sendBytes(final byte[] bytes, final int offset, final int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkCanSend();
        write(segmentOf(bytes), offset, length, true);
    }

    /**
     * A heap segment over {@code bytes}, reused while the caller keeps sending from the same
     * (small) array: the JIT does not always remove the wrapper, and a sender of millions of
     * messages from one buffer should not make garbage for each.
     */
    private MemorySegment segmentOf(final byte[] bytes) {
        if (bytes == lastArray) {
            return lastSegment;
        }
        final MemorySegment segment = MemorySegment.ofArray(bytes);
        if (bytes.length <= REUSED_ARRAY_MAX) {
            lastArray = bytes;
            lastSegment = segment;
        }
        return segment;
    }

    /**
     * Sends the bytes of a memory segment (on or off heap) as one raw message.
     *
     * @param bytes the message
     */
    public void sendBytes(final MemorySegment bytes) {
        Objects.requireNonNull(bytes, "bytes");
        checkCanSend();
        write(bytes, 0, bytes.byteSize(), true);
    }

    private void write(final MemorySegment src, final long offset, final long length, final boolean raw) {
        takeOverIfNeeded();
        // Opaque is enough: a close racing with this send may let the message in, as a close
        // racing with Python's send may; it is then simply never received.
        if (region.getIntOpaque(peerEnd + PipeLayout.END_CLOSED) != 0) {
            throw closedForSending();
        }
        try {
            if (!writer.write(src, offset, length, raw, WaitStrategy.FOREVER, cancelledWrite, false)) {
                throw closedForSending();
            }
        } catch (final RingWriter.CancelledWriteException e) {
            throw closedForSending();
        } catch (final InterruptedException e) {
            throw new AssertionError("an uninterruptible send was interrupted", e);
        } catch (final IllegalStateException e) {
            throw closed ? closedException() : e;
        }
    }

    private boolean cannotSend() {
        return closed || peer.isGone();
    }

    private ChannelClosedException closedForSending() {
        if (closed) {
            return closedException();
        }
        return new ChannelClosedException("the receiving end of pipe " + file + " is closed or its process died");
    }

    // ---------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------

    /**
     * Receives the next value, waiting for one; a message sent with {@code sendBytes} comes back as
     * a {@code byte[]}.
     *
     * @return the value
     * @throws EOFException            if the peer closed (or died) and everything it sent was received
     * @throws InterruptedException    if interrupted while waiting
     * @throws dev.mproc.core.CodecException if the bytes do not decode (the message is consumed)
     */
    public Object recv() throws EOFException, InterruptedException {
        awaitNext();
        if (reader.isRaw()) {
            return readBytes();
        }
        if (reader.isWhole()) {
            try {
                return effectiveCodec.decode(reader.payload());
            } finally {
                reader.consume();
            }
        }
        final byte[] whole = readBytes();
        if (whole == null) {
            return recv();
        }
        return effectiveCodec.decode(MemorySegment.ofArray(whole));
    }

    /**
     * Receives the next message as bytes (a value sent with {@code send} comes back encoded).
     *
     * @return the message
     * @throws EOFException         if the peer closed (or died) and everything was received
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        awaitNext();
        final byte[] bytes = readBytes();
        return bytes == null ? recvBytes() : bytes;
    }

    /**
     * Receives the next message into {@code buffer}.
     *
     * @param buffer where to put it
     * @return the message's length
     * @throws BufferTooShortException if it is longer than the buffer (it is consumed and carried
     *                                 by the exception)
     * @throws EOFException            if the peer closed (or died) and everything was received
     * @throws InterruptedException    if interrupted while waiting
     */
    public int recvBytesInto(final byte[] buffer) throws EOFException, InterruptedException {
        return recvBytesInto(buffer, 0);
    }

    /**
     * Receives the next message into {@code buffer} from {@code offset}.
     *
     * @param buffer where to put it
     * @param offset where in the buffer the message starts
     * @return the message's length
     * @throws BufferTooShortException if it does not fit
     * @throws EOFException            if the peer closed (or died) and everything was received
     * @throws InterruptedException    if interrupted while waiting
     */
    public int recvBytesInto(final byte[] buffer, final int offset) throws EOFException, InterruptedException {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkIndex(offset, buffer.length + 1);
        while (true) {
            awaitNext();
            final long length = reader.messageLength();
            final int room = buffer.length - offset;
            if (length > room) {
                final byte[] whole = readBytes();
                if (whole == null) {
                    continue;
                }
                throw new BufferTooShortException(whole, room);
            }
            if (reader.isWhole()) {
                MemorySegment.copy(reader.memory(), ValueLayout.JAVA_BYTE, reader.payloadOffset(), buffer, offset,
                    (int) length);
                reader.consume();
                return (int) length;
            }
            if (reader.gather(MemorySegment.ofArray(buffer), offset, peer, closedCheck)) {
                return (int) length;
            }
            failIfClosed();
        }
    }

    /**
     * @return true if {@link #recv()} would not block: a message is waiting, or the peer is gone
     *         (recv would throw EOFException)
     */
    public boolean poll() {
        checkCanReceive();
        takeOverIfNeeded();
        return reader.nextMessage() || peer.isGone();
    }

    /**
     * Waits up to {@code timeout} for {@link #recv()} to have something to return.
     *
     * @param timeout how long at most
     * @param unit    its unit
     * @return true if a message is waiting or the peer is gone; false on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        checkCanReceive();
        takeOverIfNeeded();
        if (reader.awaitMessage(unit.toNanos(timeout), peer, closedCheck, true)) {
            return true;
        }
        failIfClosed();
        return peer.isGoneNow();
    }

    /** Waits for a message start; EOF when the peer is gone and nothing is left. */
    private void awaitNext() throws EOFException, InterruptedException {
        checkCanReceive();
        takeOverIfNeeded();
        try {
            while (!reader.awaitMessage(WaitStrategy.FOREVER, peer, closedCheck, true)) {
                failIfClosed();
                if (peer.isGoneNow() && !reader.nextMessage()) {
                    throw new EOFException("pipe " + file + ": the other end closed (or its process died)"
                        + " and every message it sent was received");
                }
            }
        } catch (final IllegalStateException e) {
            throw closed ? closedException() : e;
        }
    }

    /** Reads the message at the head as bytes; null if it was abandoned half-way. */
    private byte[] readBytes() {
        final byte[] bytes = reader.readBytes(peer, closedCheck);
        if (bytes == null) {
            failIfClosed();
        }
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------
    // Ownership, closing
    // ---------------------------------------------------------------------------------------------

    /** Records this handle (and process) as the user of this end. */
    private void claim() {
        region.putLongVolatile(myEnd + PipeLayout.END_OWNER, TOKEN);
        region.putLongVolatile(myEnd + PipeLayout.END_HANDLE, handleId);
    }

    /** If another handle used this end since we last did, take it over from where it stopped. */
    private void takeOverIfNeeded() {
        if (region.getLongOpaque(myEnd + PipeLayout.END_HANDLE) != handleId) {
            claim();
            if (writer != null) {
                writer.resync();
            }
            if (reader != null) {
                reader.resync();
            }
        }
    }

    private void checkCanSend() {
        failIfClosed();
        if (writer == null) {
            throw new UnsupportedOperationException("the left end of one-way pipe " + file + " only receives");
        }
    }

    private void checkCanReceive() {
        failIfClosed();
        if (reader == null) {
            throw new UnsupportedOperationException("the right end of one-way pipe " + file + " only sends");
        }
    }

    private void failIfClosed() {
        if (closed) {
            throw closedException();
        }
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException("connection closed: " + (left ? "left" : "right") + " end of " + file);
    }

    /** @return true once {@link #close()} was called on this handle */
    public boolean isClosed() {
        return closed;
    }

    /** @return true if this end can send */
    public boolean canSend() {
        return writer != null;
    }

    /** @return true if this end can receive */
    public boolean canReceive() {
        return reader != null;
    }

    /** @return the pipe's file */
    public Path file() {
        return Path.of(file);
    }

    /**
     * Closes this end: the peer receives what was sent, then EOF. Threads blocked on this handle
     * throw {@link ChannelClosedException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Only the handle that uses the end closes it for the peer. A stale copy (the parent's
        // copy of an end a child took over, closed as Python code closes child_conn after
        // start()) or a copy that never used the end (the child may not have attached yet)
        // releases only itself, as closing one of several file descriptors of a pipe does.
        if (region.getLongVolatile(myEnd + PipeLayout.END_HANDLE) == handleId) {
            region.putIntVolatile(myEnd + PipeLayout.END_CLOSED, 1);
            if (reader != null) {
                reader.publishHeadFenced();
            }
            wakeRings();
        }
        region.close();
    }

    private void wakeRings() {
        final int capacity = region.getInt(PipeLayout.CAPACITY_OFFSET);
        RingWriter.wakeAll(region, PipeLayout.RIGHT_TO_LEFT_OFFSET);
        if (region.getInt(PipeLayout.DUPLEX_OFFSET) != 0) {
            RingWriter.wakeAll(region, PipeLayout.leftToRightOffset(capacity));
        }
    }

    @Override
    public String toString() {
        return "Connection[" + (left ? "left" : "right") + " end of " + file + (closed ? ", closed" : "") + "]";
    }

    @Serial
    private Object readResolve() {
        return attach(Path.of(file), left, codec, null);
    }

    /** The peer end: closed, or its process dead (read from /proc at most every 50 ms). */
    private final class PeerWatch implements RingReader.ProducerState {
        private long nextCheck = System.nanoTime();
        /** The owner token last found dead; the end is gone while it stays the owner. */
        private long deadOwner;

        @Override
        public boolean isGone(final boolean midMessage) {
            return isGone();
        }

        boolean isGone() {
            if (region.getIntVolatile(peerEnd + PipeLayout.END_CLOSED) != 0) {
                return true;
            }
            if (deadOwner != 0 && region.getLongVolatile(peerEnd + PipeLayout.END_OWNER) == deadOwner) {
                return true;
            }
            final long now = System.nanoTime();
            if (now - nextCheck < 0) {
                return false;
            }
            nextCheck = now + LIVENESS_CHECK_NANOS;
            return isGoneNow();
        }

        /** Checks at once, whatever the rate limit. */
        boolean isGoneNow() {
            if (region.getIntVolatile(peerEnd + PipeLayout.END_CLOSED) != 0) {
                return true;
            }
            final long owner = region.getLongVolatile(peerEnd + PipeLayout.END_OWNER);
            if (owner == 0 || owner == TOKEN) {
                return false;
            }
            if (owner == deadOwner || !ProcessIdentity.isAlive(owner)) {
                deadOwner = owner;
                return true;
            }
            return false;
        }
    }
}
