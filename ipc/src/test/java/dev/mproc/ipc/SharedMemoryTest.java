package dev.mproc.ipc;

import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.KindMismatchException;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionExistsException;
import dev.mproc.core.RegionHeaderLayout;
import dev.mproc.core.RegionNotFoundException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedMemory: create and attach by name and by file, exact size and page alignment, segment and
 * byte buffer over the same memory, refusal of taken names and bad sizes, close affecting one
 * handle only and failing cleanly afterwards, unlink removing the name but not live mappings,
 * and serialisation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedMemoryTest {
    private static final int PAGE = 4096;

    private Namespace namespace;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void tearDown() {
        namespace.close();
    }

    @Test
    void shouldShareExactlyTheRequestedBytesPageAligned() {
        try (SharedMemory created = SharedMemory.create(namespace, "block", 100);
             SharedMemory byName = SharedMemory.attach(namespace, "block");
             SharedMemory byFile = SharedMemory.attach(created.file())) {
            assertEquals("block", created.name());
            assertEquals(namespace.pathOf("block"), created.file());
            assertEquals(100, created.size());
            assertEquals(100, byName.size());
            final MemorySegment segment = created.segment();
            assertEquals(100, segment.byteSize());
            assertEquals(0, segment.address() % PAGE, "data starts on a page");
            assertEquals(0, byName.segment().address() % PAGE, "in every mapping");
            assertEquals(0, segment.get(ValueLayout.JAVA_LONG, 0), "zeroed at creation");
            segment.set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9abc_def0L);
            segment.set(ValueLayout.JAVA_BYTE, 99, (byte) 7);
            assertEquals(0x1234_5678_9abc_def0L, byName.segment().get(ValueLayout.JAVA_LONG, 8));
            assertEquals(7, byFile.segment().get(ValueLayout.JAVA_BYTE, 99));
        }
    }

    @Test
    void shouldGenerateANameOthersCanAttachTo() {
        try (SharedMemory created = SharedMemory.create(namespace, 10);
             SharedMemory attached = SharedMemory.attach(namespace, created.name())) {
            created.segment().set(ValueLayout.JAVA_INT, 0, 5);
            assertEquals(5, attached.segment().get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void shouldGiveADirectNativeOrderBufferOverTheSameMemory() {
        try (SharedMemory memory = SharedMemory.create(namespace, "buffer", 64)) {
            final ByteBuffer buffer = memory.asByteBuffer();
            assertTrue(buffer.isDirect());
            assertEquals(ByteOrder.nativeOrder(), buffer.order());
            assertEquals(0, buffer.position());
            assertEquals(64, buffer.capacity());
            assertEquals(64, buffer.limit());
            buffer.putInt(4, 0xCAFEBABE);
            assertEquals(0xCAFEBABE, memory.segment().get(ValueLayout.JAVA_INT, 4));
            memory.segment().set(ValueLayout.JAVA_SHORT, 10, (short) 321);
            assertEquals(321, memory.asByteBuffer().getShort(10));
        }
    }

    @Test
    void shouldRefuseATakenNameNamingTheFile() {
        try (SharedMemory existing = SharedMemory.create(namespace, "taken", 8)) {
            final RegionExistsException e = assertThrows(RegionExistsException.class,
                () -> SharedMemory.create(namespace, "taken", 8));
            assertTrue(e.getMessage().contains(existing.file().toString()), e.getMessage());
        }
        try (SharedInt counter = SharedInt.create(namespace, "counter", 3)) {
            assertThrows(RegionExistsException.class, () -> SharedMemory.create(namespace, "counter", 8));
            assertThrows(KindMismatchException.class, () -> SharedMemory.attach(namespace, "counter"));
            assertEquals(3, counter.get(), "the other object is left alone");
        }
    }

    @Test
    void shouldRefuseSizesThatAreNotPositive() {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> SharedMemory.create(namespace, "empty", 0));
        assertTrue(zero.getMessage().contains("size=0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(namespace, "negative", -1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(namespace, -5));
        assertFalse(Files.exists(namespace.pathOf("empty")));
    }

    @Test
    void shouldFailCleanlyOnUseAfterCloseAndCloseIdempotently() {
        final SharedMemory memory = SharedMemory.create(namespace, "closing", 16);
        final MemorySegment segment = memory.segment();
        final ByteBuffer buffer = memory.asByteBuffer();
        memory.close();
        memory.close();
        assertTrue(memory.isClosed());
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_INT, 0));
        assertThrows(IllegalStateException.class, () -> buffer.getInt(0));
        assertThrows(IllegalStateException.class, memory::segment);
        assertThrows(IllegalStateException.class, memory::asByteBuffer);
        assertEquals(16, memory.size(), "the size is still known");
        assertTrue(Files.exists(memory.file()), "close does not delete");
    }

    @Test
    void shouldLeaveTheFileWhenAnAttachedHandleCloses() {
        try (SharedMemory creator = SharedMemory.create(namespace, "kept", 8)) {
            final SharedMemory attached = SharedMemory.attach(namespace, "kept");
            attached.segment().set(ValueLayout.JAVA_INT, 0, 99);
            attached.close();
            assertTrue(Files.exists(creator.file()));
            assertEquals(99, creator.segment().get(ValueLayout.JAVA_INT, 0));
            try (SharedMemory again = SharedMemory.attach(namespace, "kept")) {
                assertEquals(99, again.segment().get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    @Test
    void shouldRemoveTheNameOnUnlinkButKeepExistingMappings() {
        try (SharedMemory creator = SharedMemory.create(namespace, "gone", 8);
             SharedMemory attached = SharedMemory.attach(namespace, "gone")) {
            creator.unlink();
            assertFalse(Files.exists(creator.file()));
            final RegionNotFoundException e = assertThrows(RegionNotFoundException.class,
                () -> SharedMemory.attach(namespace, "gone"));
            assertTrue(e.getMessage().contains(creator.file().toString()), e.getMessage());
            assertThrows(RegionNotFoundException.class, () -> SharedMemory.attach(creator.file()));
            attached.segment().set(ValueLayout.JAVA_INT, 0, 11);
            assertEquals(11, creator.segment().get(ValueLayout.JAVA_INT, 0), "live mappings still share memory");
            creator.unlink(); // already gone: nothing to do
        }
        try (SharedMemory reused = SharedMemory.create(namespace, "gone", 4)) {
            assertEquals(0, reused.segment().get(ValueLayout.JAVA_INT, 0), "a new block under the old name");
        }
    }

    @Test
    void shouldUnlinkAfterClose() {
        final SharedMemory memory = SharedMemory.create(namespace, "closed-then-unlinked", 8);
        memory.close();
        memory.unlink();
        assertFalse(Files.exists(memory.file()));
    }

    @Test
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedMemory memory = SharedMemory.create(namespace, "sent", 32);
             SharedMemory copy = SharedTestSupport.roundTrip(memory)) {
            assertEquals("sent", copy.name());
            assertEquals(32, copy.size());
            memory.segment().set(ValueLayout.JAVA_LONG, 24, -1L);
            assertEquals(-1L, copy.segment().get(ValueLayout.JAVA_LONG, 24));
        }
    }

    /**
     * A block above 2 GiB cannot be a ByteBuffer. The file is made by hand and sparse, so the
     * test neither reserves nor touches 2 GiB of memory.
     */
    @Test
    void shouldRefuseAByteBufferAboveTwoGigabytesNamingTheSize() throws Exception {
        final long size = Integer.MAX_VALUE + 1L;
        final Path file = namespace.pathOf("huge");
        writeSparseRegion(file, size);
        try (SharedMemory huge = SharedMemory.attach(file)) {
            assertEquals(size, huge.size());
            assertEquals(size, huge.segment().byteSize());
            final UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                huge::asByteBuffer);
            assertTrue(e.getMessage().contains("size=" + size), e.getMessage());
        }
    }

    private static void writeSparseRegion(final Path file, final long bodyLength) throws Exception {
        final long total = RegionHeaderLayout.HEADER_LENGTH + bodyLength;
        final ByteBuffer header = ByteBuffer.allocate(RegionHeaderLayout.HEADER_LENGTH).order(ByteOrder.nativeOrder());
        header.putLong(RegionHeaderLayout.MAGIC_OFFSET, RegionHeaderLayout.MAGIC);
        header.putInt(RegionHeaderLayout.FORMAT_VERSION_OFFSET, RegionHeaderLayout.FORMAT_VERSION);
        header.putInt(RegionHeaderLayout.KIND_OFFSET, SharedMemory.KIND.code());
        header.putLong(RegionHeaderLayout.TOTAL_LENGTH_OFFSET, total);
        header.putLong(RegionHeaderLayout.CREATOR_PID_OFFSET, ProcessHandle.current().pid());
        header.putInt(RegionHeaderLayout.STATE_OFFSET, RegionHeaderLayout.STATE_READY);
        header.putInt(RegionHeaderLayout.HEADER_LENGTH_OFFSET, RegionHeaderLayout.HEADER_LENGTH);
        header.putInt(RegionHeaderLayout.LAYOUT_VERSION_OFFSET, SharedMemoryLayout.LAYOUT_VERSION);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
             FileChannel channel = raf.getChannel()) {
            channel.write(header, 0);
            raf.setLength(total);
        }
    }
}
