package dev.mproc.process;

import dev.mproc.core.CodecException;
import dev.mproc.core.EncodingBuffer;
import org.junit.jupiter.api.Test;

import java.io.NotSerializableException;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolProtocolTest {

    private static Object roundTrip(final Object message) {
        final EncodingBuffer buffer = new EncodingBuffer(8);
        PoolProtocol.INSTANCE.encode(message, buffer);
        return PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(buffer.toByteArray()));
    }

    private static byte[] encoded(final Object message) {
        final EncodingBuffer buffer = new EncodingBuffer(8);
        PoolProtocol.INSTANCE.encode(message, buffer);
        return buffer.toByteArray();
    }

    @Test
    void shouldCarryChunkItemsOfAnyKindIncludingNull() {
        final Object[] items = {1, "two", null, 3.5, List.of(4, 5), new int[] {6}};
        final PoolProtocol.Chunk chunk = (PoolProtocol.Chunk) roundTrip(new PoolProtocol.Chunk(42, 7, items.clone()));
        assertEquals(42, chunk.chunkId());
        assertEquals(7, chunk.fnId());
        assertEquals(Arrays.asList(1, "two", null, 3.5, List.of(4, 5)), Arrays.asList(chunk.items()).subList(0, 5));
        assertArrayEquals(new int[] {6}, (int[]) chunk.items()[5]);
    }

    @Test
    void shouldCarryNumbersWithTheirExactTypesAndValues() {
        final Object[] items = {Integer.MIN_VALUE, Long.MAX_VALUE, -0.0d, Double.NaN, (short) 3, 4.5f, (byte) 6};
        final PoolProtocol.Chunk chunk = (PoolProtocol.Chunk) roundTrip(new PoolProtocol.Chunk(1, 1, items.clone()));
        assertEquals(Arrays.asList(items), Arrays.asList(chunk.items()));
        for (int i = 0; i < items.length; i++) {
            assertEquals(items[i].getClass(), chunk.items()[i].getClass(), "item " + i);
        }
    }

    @Test
    void shouldRejectAnUnknownValueTag() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putByte((byte) 2); // CHUNK
        buffer.putLong(1);
        buffer.putLong(1);
        buffer.putInt(1);
        buffer.putInt(-9);
        final CodecException refused = assertThrows(CodecException.class,
            () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(buffer.toByteArray())));
        assertTrue(refused.getMessage().contains("bad value tag -9"), refused.getMessage());
    }

    @Test
    void shouldCarryAFailureOfOneValueWithItsStackTrace() {
        final IllegalStateException thrown = new IllegalStateException("bad item");
        final PoolProtocol.Result result = (PoolProtocol.Result) roundTrip(
            new PoolProtocol.Result(3, 9, new Object[] {10, new PoolProtocol.Failed(thrown), 30}));
        assertEquals(3, result.worker());
        assertEquals(9, result.chunkId());
        assertEquals(10, result.values()[0]);
        assertEquals(30, result.values()[2]);
        final Throwable failure = ((PoolProtocol.Failed) result.values()[1]).failure();
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals("bad item", failure.getMessage());
        assertEquals(thrown.getStackTrace()[0], failure.getStackTrace()[0]);
    }

    @Test
    void shouldTurnAResultThatCannotTravelIntoAFailureOfThatValueOnly() {
        final PoolProtocol.Result result = (PoolProtocol.Result) roundTrip(
            new PoolProtocol.Result(1, 2, new Object[] {new Object(), "fine"}));
        final Throwable failure = ((PoolProtocol.Failed) result.values()[0]).failure();
        assertInstanceOf(CodecException.class, failure);
        assertTrue(failure.getMessage().contains("java.lang.Object"), failure.getMessage());
        assertEquals("fine", result.values()[1]);
    }

    @Test
    void shouldRefuseAnItemThatCannotTravelNamingItsPosition() {
        final CodecException refused = assertThrows(CodecException.class,
            () -> encoded(new PoolProtocol.Chunk(1, 1, new Object[] {"ok", new Object()})));
        assertTrue(refused.getMessage().contains("item 1"), refused.getMessage());
    }

    @Test
    void shouldCarryTheControlMessages() {
        assertSame(PoolProtocol.Control.STOP, roundTrip(PoolProtocol.Control.STOP));
        assertSame(PoolProtocol.Control.NUDGE, roundTrip(PoolProtocol.Control.NUDGE));
        assertEquals(new PoolProtocol.Release(5), roundTrip(new PoolProtocol.Release(5)));
        assertEquals(new PoolProtocol.Ready(6), roundTrip(new PoolProtocol.Ready(6)));
        assertEquals(new PoolProtocol.Exited(7), roundTrip(new PoolProtocol.Exited(7)));
        final PoolProtocol.Define define = (PoolProtocol.Define) roundTrip(new PoolProtocol.Define(8, new byte[] {1, 2}));
        assertEquals(8, define.fnId());
        assertArrayEquals(new byte[] {1, 2}, define.function());
        final PoolProtocol.InitFailed failed = (PoolProtocol.InitFailed) roundTrip(
            new PoolProtocol.InitFailed(2, new IllegalArgumentException("init")));
        assertEquals("init", failed.failure().getMessage());
    }

    @Test
    void shouldSendAnEarlierEncodingAsIs() {
        final EncodingBuffer earlier = new EncodingBuffer();
        PoolProtocol.INSTANCE.encode(new PoolProtocol.Release(11), earlier);
        assertEquals(new PoolProtocol.Release(11), roundTrip(new PoolProtocol.Encoded(earlier.segment())));
    }

    @Test
    void shouldCarrySeveralMessagesInOneBatchInOrder() {
        final EncodingBuffer batch = new EncodingBuffer();
        PoolProtocol.beginBatch(batch);
        final EncodingBuffer one = new EncodingBuffer();
        PoolProtocol.INSTANCE.encode(new PoolProtocol.Chunk(1, 2, new Object[] {"a"}), one);
        PoolProtocol.addToBatch(batch, one.segment());
        final EncodingBuffer two = new EncodingBuffer();
        PoolProtocol.INSTANCE.encode(PoolProtocol.Control.STOP, two);
        PoolProtocol.addToBatch(batch, two.segment());
        PoolProtocol.endBatch(batch, 2);
        final PoolProtocol.Batch decoded = (PoolProtocol.Batch) roundTrip(new PoolProtocol.Encoded(batch.segment()));
        assertEquals(2, decoded.messages().length);
        assertEquals("a", ((PoolProtocol.Chunk) decoded.messages()[0]).items()[0]);
        assertSame(PoolProtocol.Control.STOP, decoded.messages()[1]);
        final byte[] truncated = Arrays.copyOf(batch.toByteArray(), batch.length() - 1);
        assertThrows(CodecException.class, () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(truncated)));
    }

    @Test
    void shouldRejectTruncatedTrailingAndForeignBytesWithACodecException() {
        final byte[] chunk = encoded(new PoolProtocol.Chunk(1, 2, new Object[] {1, 2, 3}));
        for (int length = 0; length < chunk.length; length++) {
            final byte[] truncated = Arrays.copyOf(chunk, length);
            assertThrows(CodecException.class, () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(truncated)),
                "length " + length);
        }
        final byte[] trailing = Arrays.copyOf(chunk, chunk.length + 1);
        final CodecException extra = assertThrows(CodecException.class,
            () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(trailing)));
        assertTrue(extra.getMessage().contains("after its end"), extra.getMessage());
        final CodecException foreign = assertThrows(CodecException.class,
            () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(new byte[] {99, 0, 0})));
        assertTrue(foreign.getMessage().contains("tag 99"), foreign.getMessage());
    }

    @Test
    void shouldRefuseACountLargerThanTheMessageBeforeAllocating() {
        final EncodingBuffer buffer = new EncodingBuffer();
        buffer.putByte((byte) 2); // CHUNK
        buffer.putLong(1);
        buffer.putLong(1);
        buffer.putInt(Integer.MAX_VALUE);
        final CodecException refused = assertThrows(CodecException.class,
            () -> PoolProtocol.INSTANCE.decode(MemorySegment.ofArray(buffer.toByteArray())));
        assertTrue(refused.getMessage().contains(Integer.toString(Integer.MAX_VALUE)), refused.getMessage());
    }

    @Test
    void shouldReportAnExceptionThatCannotBeSerialisedByClassMessageAndStack() {
        final UnserialisableFailure thrown = new UnserialisableFailure("it holds a thread");
        final Throwable rebuilt = Failures.decode(MemorySegment.ofArray(Failures.toBytes(thrown)));
        final RemoteException remote = assertInstanceOf(RemoteException.class, rebuilt);
        assertEquals(UnserialisableFailure.class.getName(), remote.originalClassName());
        assertEquals("it holds a thread", remote.getMessage());
        assertArrayEquals(thrown.getStackTrace(), remote.getStackTrace());
        assertEquals(UnserialisableFailure.class.getName() + ": it holds a thread", remote.toString());
        assertEquals(NotSerializableException.class.getName(), remote.getCause().toString().split(":")[0]);
    }

    @Test
    void shouldKeepTheCauseChainOfAStandIn() {
        final RemoteException remote = RemoteException.of(new RuntimeException("outer", new IllegalStateException("inner")));
        assertEquals("outer", remote.getMessage());
        final RemoteException cause = assertInstanceOf(RemoteException.class, remote.getCause());
        assertEquals(IllegalStateException.class.getName(), cause.originalClassName());
        assertNull(cause.getCause());
    }

    /** An exception with a field that Java serialisation refuses. */
    private static final class UnserialisableFailure extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object lock = new Object();

        UnserialisableFailure(final String message) {
            super(message, new NotSerializableException("java.lang.Object"));
        }
    }
}
