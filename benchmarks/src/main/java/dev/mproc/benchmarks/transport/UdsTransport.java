package dev.mproc.benchmarks.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import dev.mproc.benchmarks.PeerRef;
import dev.mproc.benchmarks.SideContext;

/**
 * The Java peer a Java programmer reaches for first: a Unix-domain stream socket between the two
 * JVMs, through {@code java.nio}'s {@link SocketChannel} and {@link ServerSocketChannel}
 * ({@link StandardProtocolFamily#UNIX}), with the JDK's and the kernel's defaults (socket buffers
 * included: {@code net.core.wmem_default}, about 208 KiB here).
 * <p>
 * A channel is a socket file {@code <channel>.sock} in the workload's namespace directory. The
 * receiver is the server: opening it binds and listens but does not accept, because a side may
 * open its receiving end before its sending end (the echo workloads do, on both sides) and an
 * accept there would wait for a sender that cannot come yet; the first {@code receive} or
 * {@code poll} accepts, and then the listening socket and its file go. The sender connects,
 * retrying for up to {@link Rendezvous#DEFAULT_TIMEOUT} until the receiver's socket is there and
 * listening.
 * <p>
 * Framing, native byte order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    length of the message                      |
 *  +---------------------------------------------------------------+
 *  |                 the message's bytes (length) ...              |
 *  +---------------------------------------------------------------+
 *  |                 next frame's length ...                       |
 * </pre>
 * <b>Sender</b>: frames go into a {@value #BATCH_BYTES}-byte direct buffer, written out with a
 * blocking {@code write} whenever it is full (a frame that does not fit is split across writes,
 * which a stream socket does not notice) and on {@code flush}: batching is what makes small messages
 * through a socket affordable, and the workloads flush at the end of every burst or run and after
 * every message whose latency counts. A message larger than the batch goes out in full batches,
 * copied piece by piece, with no allocation. One exception to the blocking write: a thread that
 * also receives on a socket of this transport (both sides of the echo workloads) does what a
 * single-threaded socket client must, as a {@code Selector} loop would: while its socket is full it
 * keeps reading its incoming socket into that receiver's buffer, spinning and then parking briefly
 * between tries. Blocking there instead deadlocks as soon as both sides send faster than the other
 * reads: both sockets fill and both sides wait in {@code write} for good (seen in the fixed-rate
 * echo workload, whose side A sends on schedule while echoes are still coming back).
 * <p>
 * <b>Receiver</b>: a direct buffer of {@value #READ_BUFFER_BYTES} bytes, or the largest frame if
 * that is larger, so that any frame fits whole; each read takes as much as the socket has.
 * {@code receive} uses the channel in blocking mode, the usual way to use a socket (the thread
 * sleeps in the kernel until data comes); {@code poll} switches it to non-blocking mode (once, and
 * back only if {@code receive} is called again), returns a whole frame already buffered without a
 * system call, and otherwise reads once what the socket has and returns -1 unless a whole frame is
 * there then.
 * <p>
 * Memory consistency effects: the kernel copies the bytes; everything a sender wrote into a message
 * before {@code send} is in the bytes its receiver gets. Each end is used by one thread.
 */
public final class UdsTransport implements Transport {
    /** Bytes the sender batches before a write. */
    static final int BATCH_BYTES = 64 << 10;
    /** Least size of the receiver's read buffer. */
    static final int READ_BUFFER_BYTES = 256 << 10;
    /** The length prefix of every frame. */
    static final int FRAME_HEADER_BYTES = Integer.BYTES;
    /** Longest socket path Linux takes ({@code sun_path} is 108 bytes with its terminating zero). */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Spins of a sender waiting for room (with a receiver in use on its thread) before it parks. */
    private static final int SPINS_WHILE_FULL = 1_000;
    private static final long PARK_WHILE_FULL_NANOS = 20_000;
    private static final String SUFFIX = ".sock";
    /**
     * The receivers each thread uses (registered at their first receive or poll): what a sender on
     * that thread reads ahead into while its socket is full (see {@code UdsSender.writeOut}).
     */
    private static final ThreadLocal<List<UdsReceiver>> RECEIVERS_IN_USE =
        ThreadLocal.withInitial(CopyOnWriteArrayList::new);

    private final Duration rendezvousTimeout;

    /** A transport whose ends wait {@link Rendezvous#DEFAULT_TIMEOUT} for their other side. */
    public UdsTransport() {
        this(Rendezvous.DEFAULT_TIMEOUT);
    }

    /**
     * @param rendezvousTimeout how long a sender tries to connect, and a receiver waits in its first
     *                          {@code receive} for a sender to connect, before throwing
     */
    public UdsTransport(final Duration rendezvousTimeout) {
        this.rendezvousTimeout = Objects.requireNonNull(rendezvousTimeout, "rendezvousTimeout");
    }

    @Override
    public String id() {
        return "uds";
    }

    @Override
    public String label() {
        return "UDS SocketChannel";
    }

    @Override
    public String peerSource() {
        return PeerRef.UDS;
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes)
        throws IOException {
        return openSender(context.namespace().directory(), channel, maxMessageBytes);
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes)
        throws IOException {
        return openReceiver(context.namespace().directory(), channel, maxMessageBytes);
    }

    /**
     * @param directory       where the channel's socket file is
     * @param channel         the channel's name
     * @param maxMessageBytes the largest message that will be sent
     * @return a sender connected to the channel's receiver
     * @throws IOException naming the socket file if no receiver accepted a connection in time
     */
    MessageSender openSender(final Path directory, final String channel, final int maxMessageBytes)
        throws IOException {
        checkMaxMessageBytes(maxMessageBytes);
        final Path file = socketFile(directory, channel);
        final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
        final IOException[] lastRefusal = new IOException[1];
        final SocketChannel socket = Rendezvous.await(rendezvousTimeout,
            () -> "no receiver accepted a connection on " + file + (Files.exists(file) ? "" : " (no such socket file)")
                + (lastRefusal[0] == null ? "" : "; last refusal: " + lastRefusal[0]),
            () -> {
                if (!Files.exists(file)) {
                    return null;
                }
                final SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(address);
                    return attempt;
                } catch (final IOException e) {
                    // Bound but not listening yet, or gone meanwhile: try again.
                    lastRefusal[0] = e;
                    attempt.close();
                    return null;
                }
            });
        return new UdsSender(socket, maxMessageBytes);
    }

    /**
     * @param directory       where the channel's socket file goes
     * @param channel         the channel's name
     * @param maxMessageBytes the largest message that will be received
     * @return a receiver listening on the channel's socket file (not yet accepting)
     * @throws IOException naming the socket file if it cannot be bound
     */
    MessageReceiver openReceiver(final Path directory, final String channel, final int maxMessageBytes)
        throws IOException {
        checkMaxMessageBytes(maxMessageBytes);
        final Path file = socketFile(directory, channel);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(file), 1);
            // Accepting is polled (see UdsReceiver.accept): never blocks past the rendezvous timeout.
            server.configureBlocking(false);
        } catch (final IOException e) {
            server.close();
            throw new IOException(file + ": cannot listen on this socket file: " + e.getMessage(), e);
        }
        return new UdsReceiver(file, server, maxMessageBytes, rendezvousTimeout);
    }

    private static void checkMaxMessageBytes(final int maxMessageBytes) {
        if (maxMessageBytes < 0 || maxMessageBytes > Integer.MAX_VALUE - FRAME_HEADER_BYTES - 8) {
            throw new IllegalArgumentException("maxMessageBytes out of range: maxMessageBytes=" + maxMessageBytes);
        }
    }

    private static Path socketFile(final Path directory, final String channel) {
        if (channel.isEmpty() || channel.contains("/")) {
            throw new IllegalArgumentException("channel name must be a plain file name: channel=" + channel);
        }
        final Path file = directory.resolve(channel + SUFFIX).toAbsolutePath();
        final int length = file.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path too long for a Unix-domain socket: " + file + " length="
                + length + " limit=" + MAX_SOCKET_PATH_BYTES);
        }
        return file;
    }

    /** The sending end: a batch in a direct buffer, written to a blocking socket. */
    private static final class UdsSender implements MessageSender {
        private final SocketChannel socket;
        private final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH_BYTES).order(ByteOrder.nativeOrder());
        private final int maxMessageBytes;
        private boolean blocking = true;

        UdsSender(final SocketChannel socket, final int maxMessageBytes) {
            this.socket = socket;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public void send(final byte[] message, final int length) throws IOException {
            if (length < 0 || length > maxMessageBytes || length > message.length) {
                throw new IllegalArgumentException("message length out of range: length=" + length + " max="
                    + maxMessageBytes + " array=" + message.length);
            }
            if (batch.remaining() < FRAME_HEADER_BYTES) {
                writeOut();
            }
            batch.putInt(length);
            int offset = 0;
            while (true) {
                final int piece = Math.min(length - offset, batch.remaining());
                batch.put(message, offset, piece);
                offset += piece;
                if (offset == length) {
                    return;
                }
                writeOut();
            }
        }

        @Override
        public void flush() throws IOException {
            if (batch.position() > 0) {
                writeOut();
            }
        }

        /**
         * Writes the batch out. With no receiver in use on this thread, a blocking write, as usual.
         * With one, the thread is a client that both sends and receives, and it must keep reading
         * while its write waits, as a {@code Selector} loop would: otherwise, when both sides write
         * faster than the other reads (the echo workloads' fixed-rate side does), both sockets fill
         * and both sides block in {@code write} for good. So the socket is non-blocking then, and
         * while it is full this thread's receivers take what their sockets hold into their buffers.
         */
        private void writeOut() throws IOException {
            batch.flip();
            final List<UdsReceiver> inbound = RECEIVERS_IN_USE.get();
            if (inbound.isEmpty()) {
                setBlocking(true);
                while (batch.hasRemaining()) {
                    socket.write(batch);
                }
            } else {
                setBlocking(false);
                int idle = 0;
                while (batch.hasRemaining()) {
                    if (socket.write(batch) > 0) {
                        idle = 0;
                        continue;
                    }
                    for (int i = 0; i < inbound.size(); i++) {
                        inbound.get(i).readAheadWhileSending();
                    }
                    pause(idle++);
                }
            }
            batch.clear();
        }

        private void setBlocking(final boolean block) throws IOException {
            if (blocking != block) {
                socket.configureBlocking(block);
                blocking = block;
            }
        }

        /** Spins briefly (the reader is on another CPU and usually quick), then parks for a moment. */
        private static void pause(final int idle) {
            if (idle < SPINS_WHILE_FULL) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(PARK_WHILE_FULL_NANOS);
            }
        }

        /** Closes the socket; what is still batched is dropped (the workloads flush first). */
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The receiving end: the listening socket until the first receive or poll, then the accepted one. */
    private static final class UdsReceiver implements MessageReceiver {
        private final Path file;
        private final int maxMessageBytes;
        private final Duration acceptTimeout;
        private final ByteBuffer buffer;
        private ServerSocketChannel server;
        private SocketChannel socket;
        private boolean blocking = true;
        /** The receivers of the thread that uses this one, once it is in use. */
        private List<UdsReceiver> inUseOn;
        /** Start of the first unconsumed byte in {@link #buffer}. */
        private int readIndex;
        /** End of the bytes read into {@link #buffer}. */
        private int dataEnd;

        UdsReceiver(final Path file, final ServerSocketChannel server, final int maxMessageBytes,
                    final Duration acceptTimeout) {
            this.file = file;
            this.server = server;
            this.maxMessageBytes = maxMessageBytes;
            this.acceptTimeout = acceptTimeout;
            this.buffer = ByteBuffer.allocateDirect(Math.max(READ_BUFFER_BYTES, FRAME_HEADER_BYTES + maxMessageBytes))
                .order(ByteOrder.nativeOrder());
        }

        @Override
        public int receive(final byte[] into) throws IOException {
            if (socket == null) {
                acceptWithin(acceptTimeout);
            }
            if (!blocking) {
                socket.configureBlocking(true);
                blocking = true;
            }
            fill(FRAME_HEADER_BYTES);
            final int length = frameLength(into);
            fill(FRAME_HEADER_BYTES + length);
            return take(into, length);
        }

        @Override
        public int poll(final byte[] into) throws IOException {
            if (socket == null && !tryAccept()) {
                return -1;
            }
            if (!frameBuffered() && readWithoutWaiting() < 0 && !frameBuffered()) {
                throw senderClosed();
            }
            return frameBuffered() ? take(into, frameLength(into)) : -1;
        }

        /**
         * Called by a sender on this receiver's thread while the sender's socket is full: takes what
         * this socket holds into the buffer, so that the other side's writes can go on (see
         * {@code UdsSender.writeOut}). The end of the stream is left for receive or poll to report.
         */
        void readAheadWhileSending() throws IOException {
            if (socket != null) {
                readWithoutWaiting();
            }
        }

        /** @return true if a whole frame (or a corrupt length, for frameLength to report) is buffered */
        private boolean frameBuffered() {
            return dataEnd - readIndex >= bytesOfNextFrame();
        }

        /** @return the bytes the next frame takes with its header: just the header until that is in */
        private int bytesOfNextFrame() {
            if (dataEnd - readIndex < FRAME_HEADER_BYTES) {
                return FRAME_HEADER_BYTES;
            }
            final int length = buffer.getInt(readIndex);
            return FRAME_HEADER_BYTES + (length < 0 || length > maxMessageBytes ? 0 : length);
        }

        private int frameLength(final byte[] into) {
            final int length = buffer.getInt(readIndex);
            if (length < 0 || length > maxMessageBytes) {
                throw new IllegalStateException(file + ": corrupt frame: length=" + length + " max=" + maxMessageBytes);
            }
            if (length > into.length) {
                throw new IllegalArgumentException("message does not fit the buffer: length=" + length + " buffer="
                    + into.length);
            }
            return length;
        }

        private int take(final byte[] into, final int length) {
            buffer.get(readIndex + FRAME_HEADER_BYTES, into, 0, length);
            readIndex += FRAME_HEADER_BYTES + length;
            return length;
        }

        /** Blocking: reads until at least {@code needed} bytes are buffered. */
        private void fill(final int needed) throws IOException {
            while (dataEnd - readIndex < needed) {
                makeRoomFor(needed);
                if (readOnce() < 0) {
                    throw senderClosed();
                }
            }
        }

        /**
         * Non-blocking: one read of whatever the socket has, after making room for it (compacting
         * when less than a quarter of the buffer, or less than the rest of the next frame, is free
         * behind the data).
         *
         * @return bytes read, 0 if the socket had none or there is no room, -1 at the end of the stream
         */
        private int readWithoutWaiting() throws IOException {
            if (blocking) {
                socket.configureBlocking(false);
                blocking = false;
            }
            if (readIndex == dataEnd) {
                readIndex = 0;
                dataEnd = 0;
            } else if (buffer.capacity() - dataEnd
                < Math.max(bytesOfNextFrame() - (dataEnd - readIndex), buffer.capacity() / 4)) {
                compact();
            }
            return readOnce();
        }

        /**
         * Moves the unconsumed bytes to the front when the frame being read would not fit behind
         * them; an empty buffer starts over at 0 for free. The buffer holds the largest frame, so
         * after this there is room for {@code needed} bytes from {@link #readIndex}.
         */
        private void makeRoomFor(final int needed) {
            if (readIndex == dataEnd) {
                readIndex = 0;
                dataEnd = 0;
            } else if (buffer.capacity() - readIndex < needed) {
                compact();
            }
        }

        private void compact() {
            buffer.limit(dataEnd).position(readIndex);
            buffer.compact();
            dataEnd = buffer.position();
            readIndex = 0;
        }

        /** @return bytes read; 0 only in non-blocking mode when the socket has none; -1 at the end */
        private int readOnce() throws IOException {
            buffer.limit(buffer.capacity()).position(dataEnd);
            final int n = socket.read(buffer);
            if (n > 0) {
                dataEnd += n;
            }
            return n;
        }

        private EOFException senderClosed() {
            return new EOFException(file + ": the sender closed the connection; buffered=" + (dataEnd - readIndex)
                + " bytes (part of a frame if not 0)");
        }

        private void acceptWithin(final Duration timeout) throws IOException {
            Rendezvous.await(timeout, () -> "no sender connected to " + file, () -> tryAccept() ? Boolean.TRUE : null);
        }

        /** One non-blocking accept; on success the listening socket and its file go. */
        private boolean tryAccept() throws IOException {
            final SocketChannel accepted = server.accept();
            if (accepted == null) {
                return false;
            }
            socket = accepted;
            socket.configureBlocking(true);
            blocking = true;
            inUseOn = RECEIVERS_IN_USE.get();
            inUseOn.add(this);
            server.close();
            server = null;
            Files.deleteIfExists(file);
            return true;
        }

        @Override
        public void close() throws IOException {
            if (inUseOn != null) {
                inUseOn.remove(this);
            }
            try {
                if (socket != null) {
                    socket.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
