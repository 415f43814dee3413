package dev.mproc.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The Chronicle queue under a {@link DurableQueue}: the only class that builds Chronicle objects,
 * so that no Chronicle class loads before {@link JournalJvmOptions#check()} has run.
 * <p>
 * Settings (fixed by {@link JournalMarkerLayout} version 1): roll cycle {@code FAST_DAILY} (one
 * file per UTC day; {@code WEEKLY} is broken across JVMs in 2026.4), block size 64 MiB (so a message
 * may be at most 16 MiB), sync mode {@code SYNC} so that {@code sync()} is a real {@code msync(MS_SYNC)}.
 */
final class ChronicleLog implements AutoCloseable {
    /** Chronicle's mapped block size. */
    static final long BLOCK_SIZE = 64L << 20;
    /** The largest excerpt Chronicle writes with {@link #BLOCK_SIZE}: a quarter of it. */
    static final int MAX_EXCERPT_BYTES = (int) (BLOCK_SIZE / 4);
    /** Chronicle's cycle file suffix. */
    static final String CYCLE_SUFFIX = ".cq4";
    /** Bytes of a cycle file's start searched for Chronicle's store header. */
    private static final int HEADER_PROBE_BYTES = 512;

    private static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;
    /** File name of a FAST_DAILY cycle, without the suffix: its UTC day. */
    private static final DateTimeFormatter CYCLE_NAME = DateTimeFormatter.ofPattern(ROLL_CYCLE.format());
    private static final long DAY_MILLIS = 86_400_000L;

    private final SingleChronicleQueue queue;
    private final Path directory;

    private ChronicleLog(final SingleChronicleQueue queue, final Path directory) {
        this.queue = queue;
        this.directory = directory;
    }

    /**
     * @param directory    the journal directory (its marker checked already)
     * @param timeProvider Chronicle's clock, or null for the system clock (tests of retention)
     * @return the open log
     */
    static ChronicleLog open(final Path directory, final TimeProvider timeProvider) {
        checkCycleFiles(directory);
        ChronicleStderr.install();
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(ROLL_CYCLE)
            .blockSize(BLOCK_SIZE)
            .syncMode(SyncMode.SYNC);
        if (timeProvider != null) {
            builder.timeProvider(timeProvider);
        }
        final SingleChronicleQueue queue;
        try {
            queue = builder.build();
        } catch (final RuntimeException e) {
            throw new JournalFormatException(directory, "Chronicle cannot open the queue files: " + e, e);
        }
        return new ChronicleLog(queue, directory);
    }

    /**
     * Refuses cycle files that do not start with Chronicle's store header, which Chronicle itself
     * would only notice (or not) when a tailer reaches them.
     */
    private static void checkCycleFiles(final Path directory) {
        final byte[] header = "SCQStore".getBytes(StandardCharsets.US_ASCII);
        for (final Path file : cycleFiles(directory)) {
            final byte[] start = new byte[HEADER_PROBE_BYTES];
            int read;
            try (InputStream in = Files.newInputStream(file)) {
                read = in.readNBytes(start, 0, start.length);
            } catch (final IOException e) {
                throw new JournalFormatException(file, "cannot read the cycle file: " + e.getMessage(), e);
            }
            if (indexOf(start, read, header) < 0) {
                throw new JournalFormatException(file, "not a Chronicle Queue cycle file (no SCQStore header in its"
                    + " first " + read + " bytes): the journal is corrupted");
            }
        }
    }

    private static int indexOf(final byte[] data, final int length, final byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * @param directory a journal directory
     * @return its cycle files, in name order (which is cycle order)
     */
    static List<Path> cycleFiles(final Path directory) {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + CYCLE_SUFFIX)) {
            entries.forEach(files::add);
        } catch (final IOException e) {
            throw new JournalFormatException(directory, "cannot list the cycle files: " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    /** @return a new appender; Chronicle's one-thread check off, callers serialise its use */
    ExcerptAppender appender() {
        final ExcerptAppender appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true);
        return appender;
    }

    /** @return a new tailer at the start; Chronicle's one-thread check off, callers serialise its use */
    ExcerptTailer tailer() {
        final ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        return tailer.toStart();
    }

    /** @return what is stored now */
    JournalInfo info() {
        queue.refreshDirectoryListing();
        final long first = queue.firstIndex();
        final long last = queue.lastIndex();
        if (first == Long.MAX_VALUE || last < 0) {
            return new JournalInfo(0, -1, -1, cycleFiles(directory).size());
        }
        // countExcerpts counts from the first index up to, not including, the second.
        return new JournalInfo(queue.countExcerpts(first, last) + 1, first, last, cycleFiles(directory).size());
    }

    /**
     * Deletes every cycle file whose whole cycle ended more than {@code age} ago by the queue's
     * clock; never the current cycle's file.
     *
     * @param age how old a cycle must be, from its end
     * @return how many files were deleted
     */
    int dropCyclesOlderThan(final Duration age) {
        final long now = queue.time().currentTimeMillis();
        final int currentCycle = queue.cycle();
        final long cycleMillis = ROLL_CYCLE.lengthInMillis();
        int dropped = 0;
        for (final Path file : cycleFiles(directory)) {
            final String name = file.getFileName().toString();
            final long cycleStart;
            try {
                cycleStart = LocalDate.parse(name.substring(0, name.length() - CYCLE_SUFFIX.length()), CYCLE_NAME)
                    .toEpochDay() * DAY_MILLIS;
            } catch (final DateTimeParseException e) {
                continue; // not a cycle file of this roll cycle: not ours to delete
            }
            final long cycle = cycleStart / cycleMillis;
            final long cycleEnd = cycleStart + cycleMillis;
            if (cycle < currentCycle && now - cycleEnd >= age.toMillis()) {
                try {
                    if (Files.deleteIfExists(file)) {
                        dropped++;
                    }
                } catch (final IOException e) {
                    throw new JournalFormatException(file, "cannot delete an expired cycle: " + e.getMessage(), e);
                }
            }
        }
        queue.refreshDirectoryListing();
        return dropped;
    }

    @Override
    public void close() {
        queue.close();
    }
}
