package dev.mproc.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import dev.mproc.core.Codec;
import dev.mproc.core.CodecException;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionException;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A durable, replayable queue shared by processes: a directory holding a Chronicle Queue (one file
 * per UTC day), values turned into bytes by a core {@link Codec}. Any number of processes (and
 * threads) {@link #append} to it; any number of named {@link #consumer consumers} take from it,
 * each name with its own committed position that survives restarts; {@link #reader readers} replay
 * it from the start or from an index, and nothing is removed by reading: only
 * {@link #dropCyclesOlderThan retention} removes messages, a whole day's file at a time.
 * <p>
 * <b>Durability.</b> When {@link #append} returns, the message is in the journal's memory-mapped
 * file, that is, in the kernel's page cache for that file: it survives the death of any process,
 * the appender's included (SIGKILL, a crash, {@code Runtime.halt}), and every process that opens
 * the directory afterwards reads it. It survives a machine crash or power loss only once it has been
 * written to disk: by the kernel's own writeback (typically within 30 s on Linux), or at once by
 * {@link #force()} or with {@link Builder#syncOnAppend(boolean)}, which issue
 * {@code msync(MS_SYNC)} on the mapped file. On a tmpfs such as {@code /dev/shm} nothing survives a
 * machine crash whatever is forced. A writer killed half-way through an append leaves an
 * incomplete excerpt that no reader ever returns (Chronicle's header still marks it unfinished);
 * an append that had not returned may or may not be there.
 * <p>
 * <b>Directory.</b> Opening creates the directory if absent. A new journal gets a marker file
 * ({@link JournalMarkerLayout}) before anything else; a directory that already holds other files but
 * no marker, a marker of another kind or version, cycle files that are not Chronicle's, or a marker
 * naming another codec class is refused with a {@link JournalFormatException} naming the directory
 * and the problem. Consumer positions live in {@code consumers/} under the directory
 * ({@link ConsumerLayout}); the word through which appends wake sleeping readers lives in the wake
 * file ({@link JournalWakeLayout}).
 * <p>
 * <b>Waiting.</b> A reader or consumer waiting for a message not yet appended ({@code take},
 * timed {@code poll}) waits with a core {@link WaitStrategy}: by default it spins for an adaptive
 * budget, then sleeps on a futex in the wake file, and every append wakes it if it announced itself
 * asleep (a read of one shared word when nobody sleeps). A process that appends with an mproc
 * version from before the wake file does not wake sleepers; they then see its message within one
 * sleep slice (10 ms by default).
 * <p>
 * <b>JVM options.</b> Chronicle Queue needs the JVM options {@link JournalJvmOptions#REQUIRED};
 * opening a queue in a JVM without them throws an {@link IllegalStateException} naming the missing
 * ones. Child JVMs started by mproc's process module inherit them from a parent that has them.
 * Chronicle's usage reporting is always off: this class sets {@code chronicle.analytics.disable=true}
 * before any Chronicle class loads.
 * <p>
 * Memory consistency effects: actions in a thread before it appends a message <i>happen-before</i>
 * actions after any thread of any process reads that message (through a consumer or a reader) and
 * decodes it; the message's bytes are published by Chronicle's ordered header store, which the
 * reader reads with a volatile load before the bytes. The appender then issues a full fence before
 * it reads the wake file's sleeper count, so that a reader that announced itself before the
 * publication is woken, and one that announced itself after it sees the message before sleeping.
 *
 * @param <T> the type of the values
 */
public final class DurableQueue<T> implements AutoCloseable {
    /** Region kind of the marker file. */
    static final RegionKind MARKER_KIND = RegionKind.of("JRNL");
    /** Region kind of the wake file. */
    static final RegionKind WAKE_KIND = RegionKind.of("JWAK");
    /** Name of the directory of consumer state files inside a journal directory. */
    static final String CONSUMERS_DIRECTORY = "consumers";

    static {
        // Before any Chronicle class initialises: its analytics would otherwise report usage.
        System.setProperty("chronicle.analytics.disable", "true");
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private final Path directory;
    private final Codec<T> codec;
    private final boolean syncOnAppend;
    private final MappedRegion marker;
    private final MappedRegion wakeRegion;
    private final WaitWord wake;
    /** Shared by this handle's readers and consumers; null: each gets a default strategy of its own. */
    private final WaitStrategy waitStrategy;
    private final ChronicleLog log;
    private final Object appendLock = new Object();
    private final EncodingBuffer encoding = new EncodingBuffer();
    private final Set<AutoCloseable> openUsers = ConcurrentHashMap.newKeySet();
    private ExcerptAppender appender;
    private byte[] scratch = new byte[EncodingBuffer.DEFAULT_CAPACITY];
    private MemorySegment scratchSegment = MemorySegment.ofArray(scratch);
    private volatile boolean closed;

    private DurableQueue(final Path directory, final Codec<T> codec, final boolean syncOnAppend,
                         final TimeProvider timeProvider, final WaitStrategy waitStrategy) {
        this.directory = directory;
        this.codec = codec;
        this.syncOnAppend = syncOnAppend;
        this.waitStrategy = waitStrategy;
        this.marker = openMarker(directory, codec);
        try {
            this.wakeRegion = openWake(directory);
        } catch (final RuntimeException | Error e) {
            marker.close();
            throw e;
        }
        this.wake = WaitWord.at(wakeRegion, JournalWakeLayout.WAKE_WORD);
        try {
            this.log = ChronicleLog.open(directory, timeProvider);
        } catch (final RuntimeException | Error e) {
            wakeRegion.close();
            marker.close();
            throw e;
        }
        try {
            Files.createDirectories(directory.resolve(CONSUMERS_DIRECTORY));
        } catch (final IOException e) {
            log.close();
            wakeRegion.close();
            marker.close();
            throw new UncheckedIOException(directory + ": cannot create the consumers directory: " + e.getMessage(), e);
        }
    }

    /**
     * Opens (creating if absent) the journal in {@code directory} with the {@link DefaultCodec}.
     *
     * @param directory the journal directory
     * @return the open journal
     * @throws IllegalStateException  if this JVM lacks options Chronicle needs (named)
     * @throws JournalFormatException if the directory is not a journal, or a damaged one
     */
    public static DurableQueue<Object> open(final Path directory) {
        return builder(directory).open();
    }

    /**
     * Opens (creating if absent) the journal in {@code directory}.
     *
     * @param directory the journal directory
     * @param codec     turns values into bytes and back; the same codec class in every process
     * @param <T>       the type of the values
     * @return the open journal
     * @throws IllegalStateException  if this JVM lacks options Chronicle needs (named)
     * @throws JournalFormatException if the directory is not a journal, or a damaged one
     */
    public static <T> DurableQueue<T> open(final Path directory, final Codec<T> codec) {
        return builder(directory).codec(codec).open();
    }

    /**
     * @param directory the journal directory
     * @return a builder with the {@link DefaultCodec} and no sync on append
     */
    public static Builder<Object> builder(final Path directory) {
        return new Builder<>(Objects.requireNonNull(directory, "directory"), DefaultCodec.instance(), false, null, null);
    }

    private static MappedRegion openMarker(final Path directory, final Codec<?> codec) {
        JournalJvmOptions.check();
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new JournalFormatException(directory, "not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (final IOException e) {
            throw new UncheckedIOException(directory + ": cannot create the journal directory: " + e.getMessage(), e);
        }
        final Path markerFile = directory.resolve(JournalMarkerLayout.FILE_NAME);
        final String codecName = codecName(codec);
        final MappedRegion marker;
        try {
            if (Files.exists(markerFile, LinkOption.NOFOLLOW_LINKS)) {
                marker = MappedRegion.attach(markerFile, MARKER_KIND, JournalMarkerLayout.LAYOUT_VERSION);
            } else {
                final List<String> foreign = foreignEntries(directory);
                // A racing creator writes its marker before anything else, so if other files were
                // listed, a journal's marker exists by now: only a foreign directory still lacks one.
                if (!foreign.isEmpty() && Files.exists(markerFile, LinkOption.NOFOLLOW_LINKS)) {
                    return checkCodec(directory, MappedRegion.attach(markerFile, MARKER_KIND,
                        JournalMarkerLayout.LAYOUT_VERSION), codecName);
                }
                if (!foreign.isEmpty()) {
                    throw new JournalFormatException(directory, "not a journal: it holds " + foreign
                        + " but no " + JournalMarkerLayout.FILE_NAME + " marker");
                }
                marker = Namespace.attach(directory).createOrAttachRegion(JournalMarkerLayout.FILE_NAME, MARKER_KIND,
                    JournalMarkerLayout.LAYOUT_VERSION, JournalMarkerLayout.LENGTH, region -> writeCodecName(region, codecName));
            }
        } catch (final RegionException e) {
            throw new JournalFormatException(directory, "not a journal, or a damaged one: its marker "
                + JournalMarkerLayout.FILE_NAME + " is refused: " + e.getMessage(), e);
        }
        return checkCodec(directory, marker, codecName);
    }

    /** Opens the wake region, creating it in a journal that lacks it (one made before it existed). */
    private static MappedRegion openWake(final Path directory) {
        try {
            return Namespace.attach(directory).createOrAttachRegion(JournalWakeLayout.FILE_NAME, WAKE_KIND,
                JournalWakeLayout.LAYOUT_VERSION, JournalWakeLayout.LENGTH, region -> { });
        } catch (final RegionException e) {
            throw new JournalFormatException(directory, "a damaged journal: its wake file "
                + JournalWakeLayout.FILE_NAME + " is refused: " + e.getMessage(), e);
        }
    }

    private static MappedRegion checkCodec(final Path directory, final MappedRegion marker, final String codecName) {
        final String recorded = readCodecName(marker);
        if (!recorded.equals(codecName) && !recorded.equals(JournalMarkerLayout.UNNAMED_CODEC)
            && !codecName.equals(JournalMarkerLayout.UNNAMED_CODEC)) {
            marker.close();
            throw new JournalFormatException(directory, "the journal was created with codec " + recorded
                + " but is being opened with codec " + codecName);
        }
        return marker;
    }

    /** Entries of a directory without a marker that make it not a new journal (temp files of a racing creator aside). */
    private static List<String> foreignEntries(final Path directory) {
        final List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (final Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (!name.startsWith(".tmp-")) {
                    names.add(name);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(directory + ": cannot list the journal directory: " + e.getMessage(), e);
        }
        names.sort(null);
        return names.size() > 5 ? List.copyOf(names.subList(0, 5)) : names;
    }

    private static String codecName(final Codec<?> codec) {
        final Class<?> type = codec.getClass();
        if (type.isHidden() || type.isAnonymousClass()) {
            return JournalMarkerLayout.UNNAMED_CODEC;
        }
        final String name = type.getName();
        return name.getBytes(StandardCharsets.UTF_8).length > JournalMarkerLayout.MAX_CODEC_NAME_BYTES
            ? JournalMarkerLayout.UNNAMED_CODEC : name;
    }

    private static void writeCodecName(final MappedRegion region, final String name) {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        region.putInt(JournalMarkerLayout.CODEC_NAME_LENGTH, bytes.length);
        MemorySegment.copy(bytes, 0, region.segment(), ValueLayout.JAVA_BYTE, JournalMarkerLayout.CODEC_NAME, bytes.length);
    }

    private static String readCodecName(final MappedRegion region) {
        final int length = region.getInt(JournalMarkerLayout.CODEC_NAME_LENGTH);
        if (length < 1 || length > JournalMarkerLayout.MAX_CODEC_NAME_BYTES) {
            region.close();
            throw new JournalFormatException(region.file(), "damaged journal marker: codec name length=" + length
                + " (1 to " + JournalMarkerLayout.MAX_CODEC_NAME_BYTES + " expected)");
        }
        final byte[] bytes = new byte[length];
        MemorySegment.copy(region.segment(), ValueLayout.JAVA_BYTE, JournalMarkerLayout.CODEC_NAME, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Appends a value: encoded by the codec, then written as one excerpt. Durable when this returns,
     * as the class comment says. Thread-safe: appends of this handle are serialised; appends of
     * different handles and processes interleave, each excerpt whole.
     *
     * @param value the value, not null
     * @return the message's index, which {@link #reader(long)} accepts
     * @throws CodecException    if the codec refuses the value; nothing is appended
     * @throws IllegalArgumentException if the encoding is larger than 16 MiB; nothing is appended
     * @throws IllegalStateException    if this queue is closed
     */
    public long append(final T value) {
        Objects.requireNonNull(value, "value");
        synchronized (appendLock) {
            checkOpen();
            encoding.clear();
            encoding.putByte(JournalMarkerLayout.MESSAGE_TAG);
            codec.encode(value, encoding);
            final int length = encoding.length();
            if (length - 1 > ChronicleLog.MAX_EXCERPT_BYTES) {
                throw new IllegalArgumentException("encoded value too large for the journal: length=" + (length - 1)
                    + " max=" + ChronicleLog.MAX_EXCERPT_BYTES + " value class=" + value.getClass().getName());
            }
            if (length > scratch.length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
                scratchSegment = MemorySegment.ofArray(scratch);
            }
            encoding.copyTo(scratchSegment, 0);
            final ExcerptAppender out = appender();
            try (DocumentContext document = out.writingDocument()) {
                try {
                    document.wire().bytes().write(scratch, 0, length);
                } catch (final RuntimeException | Error e) {
                    // Closing would publish what was written so far: a half message must not be.
                    document.rollbackOnClose();
                    throw e;
                }
            }
            if (syncOnAppend) {
                out.sync();
            }
            // Chronicle publishes the excerpt with an ordered (release) store; the wake protocol
            // needs the publication ordered before the read of the sleeper count (WaitWord's
            // proof), or a reader about to sleep could miss it and sleep out a whole slice.
            VarHandle.fullFence();
            wake.signalAll();
            return out.lastIndexAppended();
        }
    }

    /**
     * Writes every message this handle appended so far to disk ({@code msync(MS_SYNC)} of the
     * mapped file up to its end) and waits for the disk: after this returns they survive a machine
     * crash too (not on a tmpfs). Costs a disk flush; see {@link Builder#syncOnAppend(boolean)}.
     *
     * @throws IllegalStateException if this queue is closed
     */
    public void force() {
        synchronized (appendLock) {
            checkOpen();
            if (appender != null) {
                appender.sync();
            }
        }
    }

    private ExcerptAppender appender() {
        if (appender == null) {
            appender = log.appender();
        }
        return appender;
    }

    /**
     * Opens a handle on the named consumer, creating the consumer (positioned at the start of the
     * journal) if no process has used the name before.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64
     * @return the handle; close it when done
     * @throws IllegalArgumentException if the name is not a valid consumer name
     * @throws IllegalStateException    if {@value ConsumerLayout#SLOTS} handles of the name are open
     */
    public DurableConsumer<T> consumer(final String name) {
        checkOpen();
        final DurableConsumer<T> consumer = DurableConsumer.open(this, name);
        openUsers.add(consumer);
        return consumer;
    }

    /**
     * Opens a reader at the first stored message: replays everything, then follows new messages.
     *
     * @return the reader; it persists nothing
     */
    public JournalReader<T> reader() {
        checkOpen();
        final JournalReader<T> reader = JournalReader.fromStart(this);
        openUsers.add(reader);
        return reader;
    }

    /**
     * Opens a reader whose first message is the one at {@code index} (as returned by
     * {@link #append} or {@link JournalReader#lastIndex()}).
     *
     * @param index a stored message's index, or the index the next append will get
     * @return the reader; it persists nothing
     * @throws IllegalArgumentException if no message has that index (naming the stored range)
     */
    public JournalReader<T> reader(final long index) {
        checkOpen();
        final JournalReader<T> reader = JournalReader.fromIndex(this, index);
        openUsers.add(reader);
        return reader;
    }

    /**
     * @return what the journal holds now: message count, first and last index, cycle files
     */
    public JournalInfo info() {
        checkOpen();
        return log.info();
    }

    /**
     * Retention: deletes every whole cycle (one UTC day's file) that ended more than {@code age}
     * ago. The current cycle is never deleted. Messages in deleted cycles are gone for every
     * consumer and reader, including consumers that had not reached them yet (they continue from
     * the first message still stored).
     *
     * @param age how long ago a cycle must have ended, not negative
     * @return how many cycle files were deleted
     */
    public int dropCyclesOlderThan(final Duration age) {
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must not be negative: age=" + age);
        }
        checkOpen();
        return log.dropCyclesOlderThan(age);
    }

    /** @return the journal directory */
    public Path directory() {
        return directory;
    }

    Codec<T> codec() {
        return codec;
    }

    ChronicleLog log() {
        return log;
    }

    /** @return the word appenders signal after every append */
    WaitWord wakeWord() {
        return wake;
    }

    /** @return the strategy a new reader or consumer of this handle waits with */
    WaitStrategy newWaitStrategy() {
        return waitStrategy != null ? waitStrategy : WaitStrategies.defaultStrategy();
    }

    void forget(final AutoCloseable user) {
        openUsers.remove(user);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(directory + ": journal is closed");
        }
    }

    /**
     * Closes this handle, its consumers (returning their uncommitted claims for redelivery) and
     * readers. The journal's files stay. Idempotent.
     */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (final AutoCloseable user : List.copyOf(openUsers)) {
            try {
                user.close();
            } catch (final Exception e) {
                // Keep closing the rest; a handle that fails to close has nothing more to release.
            }
        }
        try {
            if (appender != null) {
                appender.close();
            }
        } finally {
            try {
                log.close();
            } finally {
                wakeRegion.close();
                marker.close();
            }
        }
    }

    @Override
    public String toString() {
        return "DurableQueue[" + directory + ", codec=" + codec + (closed ? ", closed]" : "]");
    }

    /**
     * Options of a journal handle.
     *
     * @param <T> the type of the values
     */
    public static final class Builder<T> {
        private final Path directory;
        private final Codec<T> codec;
        private final boolean syncOnAppend;
        private final TimeProvider timeProvider;
        private final WaitStrategy waitStrategy;

        private Builder(final Path directory, final Codec<T> codec, final boolean syncOnAppend,
                        final TimeProvider timeProvider, final WaitStrategy waitStrategy) {
            this.directory = directory;
            this.codec = codec;
            this.syncOnAppend = syncOnAppend;
            this.timeProvider = timeProvider;
            this.waitStrategy = waitStrategy;
        }

        /**
         * @param newCodec the codec; every process must use the same codec class
         * @param <U>      the type of the values
         * @return a builder with that codec
         */
        public <U> Builder<U> codec(final Codec<U> newCodec) {
            return new Builder<>(directory, Objects.requireNonNull(newCodec, "codec"), syncOnAppend, timeProvider,
                waitStrategy);
        }

        /**
         * With {@code true}, every {@link #append} also does what {@link #force()} does before
         * returning, so that each returned append survives a machine crash: much slower (a disk
         * flush per message).
         *
         * @param sync whether to sync each append to disk
         * @return a builder with that setting
         */
        public Builder<T> syncOnAppend(final boolean sync) {
            return new Builder<>(directory, codec, sync, timeProvider, waitStrategy);
        }

        /** Chronicle's clock, for tests of retention; null for the system clock. */
        Builder<T> timeProvider(final TimeProvider clock) {
            return new Builder<>(directory, codec, syncOnAppend, clock, waitStrategy);
        }

        /**
         * How this handle's readers and consumers wait in {@code take} and timed {@code poll} for
         * a message not yet appended. By default each reader and consumer gets its own
         * {@link WaitStrategies#defaultStrategy()}: it spins for an adaptive budget, then sleeps on
         * the futex in the journal's wake file until an append signals it. A strategy given here
         * is shared by all of them.
         *
         * @param strategy how to wait
         * @return a builder with that strategy
         */
        public Builder<T> waitStrategy(final WaitStrategy strategy) {
            return new Builder<>(directory, codec, syncOnAppend, timeProvider, Objects.requireNonNull(strategy, "strategy"));
        }

        /**
         * @return the open journal
         * @throws IllegalStateException  if this JVM lacks options Chronicle needs (named)
         * @throws JournalFormatException if the directory is not a journal, or a damaged one
         */
        public DurableQueue<T> open() {
            return new DurableQueue<>(directory, codec, syncOnAppend, timeProvider, waitStrategy);
        }
    }
}
