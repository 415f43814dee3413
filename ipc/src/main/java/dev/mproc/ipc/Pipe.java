package dev.mproc.ipc;

import dev.mproc.core.Codec;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Two connected {@link Connection}s: Python's {@code multiprocessing.Pipe()}. A duplex pipe (the
 * default) carries messages both ways; a one-way pipe ({@code duplex = false}) carries them from
 * {@link #right()} to {@link #left()}, in Python's order ({@code r, w = Pipe(False)}).
 * <p>
 * A pipe is one file: a ring of {@link Builder#capacity(int) capacity} bytes (256 KiB by
 * default) per direction. Messages larger than a quarter of the ring are sent in fragments while
 * the receiver takes them, so any size goes through.
 * <pre>{@code
 * try (Namespace ns = Namespace.createPrivate()) {
 *     Pipe pipe = Pipe.create(ns);
 *     pipe.right().send("ping");
 *     Object got = pipe.left().recv();      // "ping"
 * }
 * }</pre>
 * The pipe and its connections are serialisable handles: a task that captures one attaches to
 * the same file in the process that runs it.
 * <p>
 * Memory consistency effects: see {@link Connection}.
 */
public final class Pipe implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The region kind of a pipe file. */
    public static final RegionKind KIND = RegionKind.of("PIPE");
    /** Bytes of each direction's ring unless a builder says otherwise. */
    public static final int DEFAULT_CAPACITY = 256 * 1024;

    private final Connection left;
    private final Connection right;

    private Pipe(final Connection left, final Connection right) {
        this.left = left;
        this.right = right;
    }

    /**
     * @param namespace where the file goes
     * @return a new duplex pipe with a generated name
     */
    public static Pipe create(final Namespace namespace) {
        return builder().create(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param duplex    false for a one-way pipe (right sends, left receives)
     * @return a new pipe with a generated name
     */
    public static Pipe create(final Namespace namespace, final boolean duplex) {
        return builder().duplex(duplex).create(namespace);
    }

    /**
     * @param namespace where the file goes
     * @param name      the pipe's name: created if absent, attached if present
     * @param duplex    false for a one-way pipe; ignored when attaching
     * @return the pipe of that name
     */
    public static Pipe create(final Namespace namespace, final String name, final boolean duplex) {
        return builder().duplex(duplex).create(namespace, name);
    }

    /**
     * @param file a pipe file
     * @return handles on both of its ends
     */
    public static Pipe attach(final Path file) {
        return new Pipe(Connection.attach(file, true), Connection.attach(file, false));
    }

    /** @return a builder for pipes with a chosen capacity, codec or wait strategy */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the left end (in a one-way pipe: the receiving end) */
    public Connection left() {
        return left;
    }

    /** @return the right end (in a one-way pipe: the sending end) */
    public Connection right() {
        return right;
    }

    /** @return true if both ends send and receive */
    public boolean isDuplex() {
        return left.canSend();
    }

    /** @return the pipe's file */
    public Path file() {
        return left.file();
    }

    /** Closes both ends held by this handle. */
    @Override
    public void close() {
        left.close();
        right.close();
    }

    @Override
    public String toString() {
        return "Pipe[" + file() + (isDuplex() ? ", duplex" : ", one-way") + "]";
    }

    /** Options for a new pipe. */
    public static final class Builder {
        private boolean duplex = true;
        private int capacity = DEFAULT_CAPACITY;
        private Codec<?> codec;
        private WaitStrategy strategy;

        private Builder() {
        }

        /**
         * @param value false for a one-way pipe
         * @return this builder
         */
        public Builder duplex(final boolean value) {
            this.duplex = value;
            return this;
        }

        /**
         * @param bytes bytes of each direction's ring, rounded up to a power of two, 1 KiB to 1 GiB
         * @return this builder
         */
        public Builder capacity(final int bytes) {
            ByteRingLayout.capacityFor(bytes);
            this.capacity = bytes;
            return this;
        }

        /**
         * @param value how values are encoded; it is serialised with the connections that go to
         *              other processes, so it should be {@link Serializable}
         * @return this builder
         */
        public Builder codec(final Codec<?> value) {
            this.codec = Objects.requireNonNull(value, "codec");
            return this;
        }

        /**
         * @param value how this process's blocked calls wait (handles in other processes use the
         *              default unless they ask with {@link Connection#withWaitStrategy})
         * @return this builder
         */
        public Builder waitStrategy(final WaitStrategy value) {
            this.strategy = Objects.requireNonNull(value, "waitStrategy");
            return this;
        }

        /**
         * @param namespace where the file goes
         * @return a new pipe with a generated name
         */
        public Pipe create(final Namespace namespace) {
            return create(namespace, namespace.uniqueName("pipe"));
        }

        /**
         * @param namespace where the file goes
         * @param name      the pipe's name: created with these options if absent, attached if present
         * @return the pipe
         */
        @SuppressWarnings("unchecked")
        public Pipe create(final Namespace namespace, final String name) {
            final int ring = ByteRingLayout.capacityFor(capacity);
            final boolean twoWay = duplex;
            final MappedRegion region = namespace.createOrAttachRegion(name, KIND, PipeLayout.LAYOUT_VERSION,
                PipeLayout.length(twoWay, ring), r -> {
                    r.putInt(PipeLayout.DUPLEX_OFFSET, twoWay ? 1 : 0);
                    r.putInt(PipeLayout.CAPACITY_OFFSET, ring);
                    // Until a handle uses an end, the creating process answers for it: a peer
                    // blocked on an end nobody took up sees EOF if the creator dies.
                    final long creator = dev.mproc.core.ProcessIdentity.current().token();
                    r.putLong(PipeLayout.LEFT_END_OFFSET + PipeLayout.END_OWNER, creator);
                    r.putLong(PipeLayout.RIGHT_END_OFFSET + PipeLayout.END_OWNER, creator);
                    RingWriter.initialise(r, PipeLayout.RIGHT_TO_LEFT_OFFSET, ring);
                    if (twoWay) {
                        RingWriter.initialise(r, PipeLayout.leftToRightOffset(ring), ring);
                    }
                });
            // The creator's handles claim their ends on first use, not now: a copy that is handed
            // to a child and never used here must not count as this end's user (see Connection).
            final Connection left = new Connection(region, true, (Codec<Object>) codec, strategy, false);
            final MappedRegion second = MappedRegion.attach(region.file(), KIND, PipeLayout.LAYOUT_VERSION);
            return new Pipe(left, new Connection(second, false, (Codec<Object>) codec, strategy, false));
        }
    }
}
