package dev.mproc.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching to files that are not what the caller expects: each must fail with its own exception,
 * a message naming the file and the mismatch, quickly, and without ever crashing the JVM (a bad
 * length trusted by a mapping would mean SIGBUS).
 * <p>
 * The attach calls that must fail a check pass a long ready-timeout: a check that wrongly waited
 * for readiness instead of failing would show up as a broken time bound.
 */
@Timeout(60)
class RegionAttachValidationTest {
    private static final RegionKind KIND = RegionKind.of("TVAL");
    private static final RegionKind OTHER_KIND = RegionKind.of("TOTH");
    private static final Duration PATIENT = Duration.ofSeconds(30);
    /** A failed check needs no waiting; generous for a loaded machine, far below {@link #PATIENT}. */
    private static final long FAST_MILLIS = 5_000;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void deleteNamespace() {
        namespace.close();
    }

    @Test
    void shouldReportAMissingFile() {
        final Path file = namespace.pathOf("missing");
        final RegionNotFoundException e = assertFailsFast(RegionNotFoundException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "no such region file");
    }

    @Test
    void shouldReportGarbageAsBadMagic() throws IOException {
        final Path file = namespace.pathOf("garbage");
        final byte[] garbage = new byte[8192];
        new Random(20_240_601L).nextBytes(garbage);
        garbage[0] = (byte) 0xde;
        Files.write(file, garbage);

        final BadMagicException e = assertFailsFast(BadMagicException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "bad magic", "MPROCRGN", "0xde");
    }

    @Test
    void shouldReportATextFileAsBadMagic() throws IOException {
        final Path file = namespace.pathOf("notes.txt");
        // Longer than a header, so that the magic is what fails rather than the length.
        Files.writeString(file, "hello world, this is not a region\n".repeat(200), StandardCharsets.US_ASCII);

        final BadMagicException e = assertFailsFast(BadMagicException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "bad magic", "hello wo");
    }

    @Test
    void shouldReportANewerFormatVersion() throws IOException {
        final Path file = createValidRegion("future-format", 1, 64);
        patchInt(file, RegionHeaderLayout.FORMAT_VERSION_OFFSET, 2);

        final UnsupportedFormatVersionException e = assertFailsFast(UnsupportedFormatVersionException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "format version 2", "newer", "(1)");
    }

    @Test
    void shouldReportANewerLayoutVersion() {
        final Path file = createValidRegion("future-layout", 3, 64);

        final UnsupportedFormatVersionException e = assertFailsFast(UnsupportedFormatVersionException.class,
            () -> MappedRegion.attach(file, KIND, 2, PATIENT));
        assertMessage(e, file, "layout version 3", "TVAL", "(2)");
        // The same file is fine for a reader that understands version 3.
        try (MappedRegion region = MappedRegion.attach(file, KIND, 3, PATIENT)) {
            assertEquals(3, region.layoutVersion());
        }
    }

    @Test
    void shouldReportTheWrongKindNamingBoth() {
        final Path file = createValidRegion("kind", 1, 64);

        final KindMismatchException e = assertFailsFast(KindMismatchException.class,
            () -> MappedRegion.attach(file, OTHER_KIND, 1, PATIENT));
        assertMessage(e, file, "expected kind TOTH", "holds TVAL");
    }

    @Test
    void shouldReportAFileShorterThanAHeaderAsTruncated() throws IOException {
        final Path file = namespace.pathOf("tiny");
        Files.write(file, new byte[100]);

        final TruncatedRegionException e = assertFailsFast(TruncatedRegionException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "100 bytes", "4096");
    }

    @Test
    void shouldReportAnEmptyFileAsTruncated() throws IOException {
        final Path file = namespace.pathOf("empty");
        Files.createFile(file);

        final TruncatedRegionException e = assertFailsFast(TruncatedRegionException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "0 bytes");
    }

    @Test
    void shouldReportAFileShorterThanItsDeclaredLengthAsTruncated() throws IOException {
        final Path file = createValidRegion("cut", 1, 8192);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096 + 100);
        }

        final TruncatedRegionException e = assertFailsFast(TruncatedRegionException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "declares " + (4096 + 8192), "has " + (4096 + 100));
    }

    @Test
    void shouldReportAFileLongerThanItsDeclaredLength() throws IOException {
        final Path file = createValidRegion("grown", 1, 64);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(4096));
        }

        final RegionFormatException e = assertFailsFast(RegionFormatException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertEquals(RegionFormatException.class, e.getClass());
        assertMessage(e, file, "declares " + (4096 + 64), "has " + (4096 + 64 + 4096));
    }

    @Test
    void shouldReportAWrongHeaderLength() throws IOException {
        final Path file = createValidRegion("odd-header", 1, 64);
        patchInt(file, RegionHeaderLayout.HEADER_LENGTH_OFFSET, 8192);

        final RegionFormatException e = assertFailsFast(RegionFormatException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "header length 8192");
    }

    @Test
    void shouldReportAnUnknownState() throws IOException {
        final Path file = namespace.pathOf("strange-state");
        writeHeaderFile(file, 64, 7);

        final RegionFormatException e = assertFailsFast(RegionFormatException.class,
            () -> MappedRegion.attach(file, KIND, 1, PATIENT));
        assertMessage(e, file, "unknown state 7");
    }

    @Test
    void shouldGiveUpOnAFileThatNeverBecomesReadyAfterTheTimeout() throws IOException {
        final Path file = namespace.pathOf("never-ready");
        writeHeaderFile(file, 64, RegionHeaderLayout.STATE_INITIALISING);

        final long start = System.nanoTime();
        final RegionNotReadyException e = assertThrows(RegionNotReadyException.class,
            () -> MappedRegion.attach(file, KIND, 1, Duration.ofMillis(300)));
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(elapsedMillis >= 300, "gave up before the timeout: " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 3_000, "gave up far after the timeout: " + elapsedMillis + " ms");
        // The creator recorded in the header is this (live) process.
        assertMessage(e, file, "not ready after 300 ms", "pid " + ProcessIdentity.current().pid(), "is alive");
    }

    @Test
    void shouldAttachToAFileThatBecomesReadyWhileWaiting() throws Exception {
        final Path file = namespace.pathOf("late");
        writeHeaderFile(file, 64, RegionHeaderLayout.STATE_INITIALISING);
        patchLong(file, RegionHeaderLayout.HEADER_LENGTH + 8, 0xFEED_FACEL);

        final CompletableFuture<Thread> attacherThread = new CompletableFuture<>();
        final CompletableFuture<MappedRegion> attached = CompletableFuture.supplyAsync(() -> {
            attacherThread.complete(Thread.currentThread());
            return MappedRegion.attach(file, KIND, 1, PATIENT);
        }, runnable -> {
            final Thread thread = new Thread(runnable, "late-attacher");
            thread.setDaemon(true);
            thread.start();
        });
        final Thread attacher = attacherThread.get(30, TimeUnit.SECONDS);
        // The ready-wait is the only timed park in attach: seeing it proves the attacher checked
        // the header, found it initialising and is now waiting.
        Eventually.until(() -> attacher.getState() == Thread.State.TIMED_WAITING || attached.isDone(),
            () -> "attacher waiting for ready, state " + attacher.getState());
        assertFalse(attached.isDone(), () -> "attach returned before the file was ready: " + outcome(attached));

        final long flipped = System.nanoTime();
        patchInt(file, RegionHeaderLayout.STATE_OFFSET, RegionHeaderLayout.STATE_READY);

        try (MappedRegion region = attached.get(30, TimeUnit.SECONDS)) {
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - flipped);
            assertTrue(elapsedMillis < 5_000, "noticed ready late: " + elapsedMillis + " ms");
            assertTrue(region.isReady());
            assertEquals(0xFEED_FACEL, region.getLongAcquire(8));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Path createValidRegion(final String name, final int layoutVersion, final long bodyLength) {
        final Path file = namespace.pathOf(name);
        MappedRegion.create(file, KIND, layoutVersion, bodyLength, r -> { }).close();
        return file;
    }

    /** A header written by hand, as a foreign or crashed creator would leave it. */
    private static void writeHeaderFile(final Path file, final long bodyLength, final int state) throws IOException {
        final ProcessIdentity me = ProcessIdentity.current();
        final ByteBuffer header = ByteBuffer.allocate(RegionHeaderLayout.HEADER_LENGTH).order(ByteOrder.nativeOrder());
        header.putLong(RegionHeaderLayout.MAGIC_OFFSET, RegionHeaderLayout.MAGIC);
        header.putInt(RegionHeaderLayout.FORMAT_VERSION_OFFSET, RegionHeaderLayout.FORMAT_VERSION);
        header.putInt(RegionHeaderLayout.KIND_OFFSET, KIND.code());
        header.putLong(RegionHeaderLayout.TOTAL_LENGTH_OFFSET, RegionHeaderLayout.HEADER_LENGTH + bodyLength);
        header.putLong(RegionHeaderLayout.CREATOR_PID_OFFSET, me.pid());
        header.putLong(RegionHeaderLayout.CREATOR_START_TIME_OFFSET, me.startTime());
        header.putInt(RegionHeaderLayout.STATE_OFFSET, state);
        header.putInt(RegionHeaderLayout.HEADER_LENGTH_OFFSET, RegionHeaderLayout.HEADER_LENGTH);
        header.putInt(RegionHeaderLayout.LAYOUT_VERSION_OFFSET, 1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, header, 0);
            writeFully(channel, ByteBuffer.allocate((int) bodyLength), RegionHeaderLayout.HEADER_LENGTH);
        }
    }

    private static void patchInt(final Path file, final long offset, final int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // A positional write goes through the page cache that every mapping of the file shares.
            writeFully(channel, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), offset);
        }
    }

    private static void patchLong(final Path file, final long offset, final long value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static <E extends RegionException> E assertFailsFast(final Class<E> expected, final Supplier<MappedRegion> attach) {
        final long start = System.nanoTime();
        final E e = assertThrows(expected, () -> {
            final MappedRegion unexpected = attach.get();
            unexpected.close();
        });
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis < FAST_MILLIS, expected.getSimpleName() + " took " + elapsedMillis + " ms");
        return e;
    }

    private static void assertMessage(final RegionException e, final Path file, final String... parts) {
        final String message = e.getMessage();
        assertEquals(file, e.file());
        assertTrue(message.startsWith(file.toString()), () -> "message must name the file: " + message);
        for (final String part : parts) {
            assertTrue(message.contains(part), () -> "message must mention \"" + part + "\": " + message);
        }
    }

    private static String outcome(final CompletableFuture<MappedRegion> attached) {
        try {
            final MappedRegion region = attached.getNow(null);
            if (region != null) {
                region.close();
            }
            return String.valueOf(region);
        } catch (final RuntimeException e) {
            return e.toString();
        }
    }
}
