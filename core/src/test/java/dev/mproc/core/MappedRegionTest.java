package dev.mproc.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The header protocol of a region file as another process sees it: what create writes, byte for
 * byte, that creation publishes atomically and only once ready, and what close and markClosed do.
 * <p>
 * Each test works in its own private namespace (under {@code /dev/shm} where it exists, as in
 * real use), deleted with everything in it after the test.
 */
@Timeout(60)
class MappedRegionTest {
    private static final RegionKind KIND = RegionKind.of("TSTR");
    private static final int LAYOUT_VERSION = 3;
    private static final long BODY_LENGTH = 64 * 1024;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void deleteNamespace() {
        namespace.close();
        assertFalse(Files.exists(namespace.directory()), "namespace left behind: " + namespace.directory());
    }

    @Test
    void shouldWriteTheHeaderFieldsThatAnotherProcessReads() throws IOException {
        final Path file = namespace.pathOf("header");
        try (MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> { })) {
            final ByteBuffer header = readHeader(file);
            final byte[] magic = new byte[8];
            header.get(RegionHeaderLayout.MAGIC_OFFSET, magic);
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                assertEquals("MPROCRGN", new String(magic, StandardCharsets.US_ASCII));
            }
            assertEquals(RegionHeaderLayout.MAGIC, header.getLong(RegionHeaderLayout.MAGIC_OFFSET));
            assertEquals(1, header.getInt(RegionHeaderLayout.FORMAT_VERSION_OFFSET));
            assertEquals(KIND.code(), header.getInt(RegionHeaderLayout.KIND_OFFSET));
            assertEquals(4096 + BODY_LENGTH, header.getLong(RegionHeaderLayout.TOTAL_LENGTH_OFFSET));
            assertEquals(ProcessIdentity.current().pid(), header.getLong(RegionHeaderLayout.CREATOR_PID_OFFSET));
            assertEquals(ProcessIdentity.current().startTime(),
                header.getLong(RegionHeaderLayout.CREATOR_START_TIME_OFFSET));
            assertEquals(RegionHeaderLayout.STATE_READY, header.getInt(RegionHeaderLayout.STATE_OFFSET));
            assertEquals(4096, header.getInt(RegionHeaderLayout.HEADER_LENGTH_OFFSET));
            assertEquals(LAYOUT_VERSION, header.getInt(RegionHeaderLayout.LAYOUT_VERSION_OFFSET));
            for (int i = RegionHeaderLayout.LAYOUT_VERSION_OFFSET + 4; i < RegionHeaderLayout.HEADER_LENGTH; i++) {
                assertEquals(0, header.get(i), "reserved header byte " + i + " must be zero");
            }
            assertEquals(4096 + BODY_LENGTH, Files.size(file));

            assertEquals(file, region.file());
            assertEquals(KIND, region.kind());
            assertEquals(LAYOUT_VERSION, region.layoutVersion());
            assertEquals(ProcessIdentity.current(), region.creator());
            assertEquals(BODY_LENGTH, region.bodyLength());
            assertEquals(RegionHeaderLayout.STATE_READY, region.state());
            assertTrue(region.isReady());
        }
    }

    @Test
    void shouldShowTheSameHeaderToASecondAttach() {
        final Path file = namespace.pathOf("attached");
        try (MappedRegion created = MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> { });
             MappedRegion attached = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
            assertEquals(KIND, attached.kind());
            assertEquals(LAYOUT_VERSION, attached.layoutVersion());
            assertEquals(ProcessIdentity.current(), attached.creator());
            assertEquals(BODY_LENGTH, attached.bodyLength());
            assertTrue(attached.isReady());
            assertEquals(created.creator(), attached.creator());
        }
    }

    @Test
    void shouldMakeTheInitialiserWritesVisibleToAnAttacher() {
        final Path file = namespace.pathOf("initialised");
        final AtomicInteger calls = new AtomicInteger();
        try (MappedRegion created = MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> {
            calls.incrementAndGet();
            // Not ready yet: the initialiser runs before publication.
            assertEquals(RegionHeaderLayout.STATE_INITIALISING, r.state());
            assertFalse(Files.exists(file), "the file must not be visible under its name before it is ready");
            r.putLong(0, 0x1122_3344_5566_7788L);
            r.putInt(8, -123_456);
            r.putLong(BODY_LENGTH - 8, Long.MIN_VALUE + 5);
        });
             MappedRegion attached = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
            assertEquals(1, calls.get());
            assertEquals(0x1122_3344_5566_7788L, attached.getLongAcquire(0));
            assertEquals(-123_456, attached.getIntAcquire(8));
            assertEquals(Long.MIN_VALUE + 5, attached.getLongAcquire(BODY_LENGTH - 8));
            assertEquals(0x1122_3344_5566_7788L, created.getLong(0));
        }
    }

    @Test
    void shouldRefuseToCreateOverAnExistingRegionAndLeaveNoTempFile() throws IOException {
        final Path file = namespace.pathOf("taken");
        try (MappedRegion first = MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> r.putLong(0, 7))) {
            final RegionExistsException e = assertThrows(RegionExistsException.class,
                () -> MappedRegion.create(file, KIND, LAYOUT_VERSION, 128, r -> r.putLong(0, 99)));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertEquals(file, e.file());

            assertEquals(List.of(file), listDirectory(), "only the original file, no temp file");
            // The original is untouched: same length, same content.
            assertEquals(4096 + BODY_LENGTH, Files.size(file));
            try (MappedRegion again = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
                assertEquals(7, again.getLong(0));
            }
            assertEquals(7, first.getLong(0));
        }
    }

    @Test
    void shouldLeaveNothingBehindWhenTheInitialiserFails() throws IOException {
        final Path file = namespace.pathOf("failing");
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> {
                throw new IllegalStateException("initialiser failed on purpose");
            }));
        assertEquals("initialiser failed on purpose", e.getMessage());
        assertEquals(List.of(), listDirectory());
        assertThrows(RegionNotFoundException.class, () -> MappedRegion.attach(file, KIND, LAYOUT_VERSION));
    }

    @Test
    void shouldCreateFilesReadableAndWritableByTheOwnerOnly() throws IOException {
        final Path file = namespace.pathOf("private-file");
        try (MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, 16, r -> { })) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(region.file()));
        }
    }

    @Test
    void shouldStartWithAZeroedBody() {
        final Path file = namespace.pathOf("zeroed");
        try (MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, BODY_LENGTH, r -> { })) {
            final MemorySegment body = region.segment();
            assertEquals(BODY_LENGTH, body.byteSize());
            for (long offset = 0; offset < BODY_LENGTH; offset += Long.BYTES) {
                if (body.get(ValueLayout.JAVA_LONG, offset) != 0) {
                    throw new AssertionError("body not zero at offset " + offset);
                }
            }
        }
    }

    @Test
    void shouldAllowAnEmptyBody() {
        final Path file = namespace.pathOf("empty-body");
        try (MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, 0, r -> { });
             MappedRegion attached = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
            assertEquals(0, region.bodyLength());
            assertEquals(0, attached.bodyLength());
            assertThrows(IndexOutOfBoundsException.class, () -> attached.getInt(0));
        }
    }

    @Test
    void shouldRejectANegativeBodyLengthNamingTheFile() {
        final Path file = namespace.pathOf("negative");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> MappedRegion.create(file, KIND, LAYOUT_VERSION, -1, r -> { }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("bodyLength=-1"),
            e.getMessage());
    }

    @Test
    void shouldRefuseAccessAfterCloseAndCloseIdempotently() {
        final Path file = namespace.pathOf("closing");
        final MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, 64, r -> r.putInt(0, 5));
        final MemorySegment body = region.segment();
        assertFalse(region.isClosed());

        region.close();

        assertTrue(region.isClosed());
        assertThrows(IllegalStateException.class, () -> region.getInt(0));
        assertThrows(IllegalStateException.class, () -> region.putLong(8, 1));
        assertThrows(IllegalStateException.class, () -> region.getAndAddLong(8, 1));
        assertThrows(IllegalStateException.class, region::state);
        assertThrows(IllegalStateException.class, () -> body.get(ValueLayout.JAVA_INT, 0));
        assertDoesNotThrow(region::close, "a second close must be harmless");
        assertTrue(region.isClosed());
        // Closing unmaps in this process only: the file and its content remain.
        try (MappedRegion again = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
            assertEquals(5, again.getInt(0));
        }
    }

    @Test
    void shouldKeepOtherMappingsUsableWhenOneIsClosed() {
        final Path file = namespace.pathOf("two-mappings");
        try (MappedRegion created = MappedRegion.create(file, KIND, LAYOUT_VERSION, 64, r -> { })) {
            final MappedRegion attached = MappedRegion.attach(file, KIND, LAYOUT_VERSION);
            attached.putIntVolatile(0, 11);
            attached.close();
            assertEquals(11, created.getIntVolatile(0));
            created.putIntVolatile(0, 12);
            assertEquals(12, created.getIntVolatile(0));
        }
    }

    @Test
    void shouldRefuseToAttachOnceMarkedClosed() {
        final Path file = namespace.pathOf("destroyed");
        try (MappedRegion region = MappedRegion.create(file, KIND, LAYOUT_VERSION, 64, r -> { });
             MappedRegion holder = MappedRegion.attach(file, KIND, LAYOUT_VERSION)) {
            region.markClosed();

            assertEquals(RegionHeaderLayout.STATE_CLOSED, region.state());
            assertFalse(region.isReady());
            // A process that already held the region sees the mark through its own mapping.
            assertEquals(RegionHeaderLayout.STATE_CLOSED, holder.state());
            assertFalse(holder.isReady());

            final long start = System.nanoTime();
            final RegionClosedException e = assertThrows(RegionClosedException.class,
                () -> MappedRegion.attach(file, KIND, LAYOUT_VERSION, Duration.ofSeconds(30)));
            final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis < 5_000, "a closed region must fail at once, not wait: " + elapsedMillis + " ms");
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("closed"), e.getMessage());
        }
    }

    private static ByteBuffer readHeader(final Path file) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(RegionHeaderLayout.HEADER_LENGTH).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining()) {
                if (channel.read(header, header.position()) < 0) {
                    throw new IOException(file + ": shorter than a header");
                }
            }
        }
        return header.clear();
    }

    private List<Path> listDirectory() throws IOException {
        try (Stream<Path> entries = Files.list(namespace.directory())) {
            return entries.sorted().toList();
        }
    }
}
