package dev.mproc.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed accessors of a region, exercised through two mappings of one file (the creator's and
 * an attacher's): different virtual addresses, one physical page, as two processes have. A value
 * written with any access mode through one mapping must be read back by every read mode through
 * the other; bad offsets must be refused with an exception and never reach memory.
 */
@Timeout(120)
class MappedRegionAccessorsTest {
    private static final RegionKind KIND = RegionKind.of("TACC");
    private static final long BODY_LENGTH = 4096;

    private Namespace namespace;
    private MappedRegion a;
    private MappedRegion b;

    @BeforeEach
    void mapOneFileTwice() {
        namespace = Namespace.createPrivate();
        a = namespace.createRegion("accessors", KIND, 1, BODY_LENGTH, r -> { });
        b = namespace.attachRegion("accessors", KIND, 1);
        assertFalse(a.segment().address() == b.segment().address(), "two distinct mappings expected");
    }

    @AfterEach
    void unmapAndDelete() {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        } finally {
            namespace.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Every write mode is seen by every read mode through the other mapping
    // ---------------------------------------------------------------------------------------------

    private interface IntWrite {
        void write(MappedRegion region, long offset, int value);
    }

    private interface IntRead {
        int read(MappedRegion region, long offset);
    }

    private interface LongWrite {
        void write(MappedRegion region, long offset, long value);
    }

    private interface LongRead {
        long read(MappedRegion region, long offset);
    }

    private record Named<T>(String name, T op) {
    }

    private static List<Named<IntWrite>> intWriters() {
        return List.of(
            new Named<>("putInt", MappedRegion::putInt),
            new Named<>("putIntOpaque", MappedRegion::putIntOpaque),
            new Named<>("putIntRelease", MappedRegion::putIntRelease),
            new Named<>("putIntVolatile", MappedRegion::putIntVolatile),
            new Named<>("getAndSetInt", (r, o, v) -> r.getAndSetInt(o, v)),
            new Named<>("compareAndSetInt", (r, o, v) -> assertTrue(r.compareAndSetInt(o, r.getIntVolatile(o), v))),
            new Named<>("compareAndExchangeInt", (r, o, v) -> {
                final int current = r.getIntVolatile(o);
                assertEquals(current, r.compareAndExchangeInt(o, current, v));
            }),
            new Named<>("getAndAddInt", (r, o, v) -> r.getAndAddInt(o, v - r.getIntVolatile(o))));
    }

    private static List<Named<IntRead>> intReaders() {
        return List.of(
            new Named<>("getInt", MappedRegion::getInt),
            new Named<>("getIntOpaque", MappedRegion::getIntOpaque),
            new Named<>("getIntAcquire", MappedRegion::getIntAcquire),
            new Named<>("getIntVolatile", MappedRegion::getIntVolatile),
            new Named<>("getAndAddInt(0)", (r, o) -> r.getAndAddInt(o, 0)));
    }

    private static List<Named<LongWrite>> longWriters() {
        return List.of(
            new Named<>("putLong", MappedRegion::putLong),
            new Named<>("putLongOpaque", MappedRegion::putLongOpaque),
            new Named<>("putLongRelease", MappedRegion::putLongRelease),
            new Named<>("putLongVolatile", MappedRegion::putLongVolatile),
            new Named<>("getAndSetLong", (r, o, v) -> r.getAndSetLong(o, v)),
            new Named<>("compareAndSetLong",
                (r, o, v) -> assertTrue(r.compareAndSetLong(o, r.getLongVolatile(o), v))),
            new Named<>("compareAndExchangeLong", (r, o, v) -> {
                final long current = r.getLongVolatile(o);
                assertEquals(current, r.compareAndExchangeLong(o, current, v));
            }),
            new Named<>("getAndAddLong", (r, o, v) -> r.getAndAddLong(o, v - r.getLongVolatile(o))));
    }

    private static List<Named<LongRead>> longReaders() {
        return List.of(
            new Named<>("getLong", MappedRegion::getLong),
            new Named<>("getLongOpaque", MappedRegion::getLongOpaque),
            new Named<>("getLongAcquire", MappedRegion::getLongAcquire),
            new Named<>("getLongVolatile", MappedRegion::getLongVolatile),
            new Named<>("getAndAddLong(0)", (r, o) -> r.getAndAddLong(o, 0)));
    }

    @Test
    void shouldReadEveryIntWriteModeThroughTheOtherMapping() {
        int round = 0;
        for (final Named<IntWrite> writer : intWriters()) {
            for (final Named<IntRead> reader : intReaders()) {
                for (final boolean fromA : new boolean[] {true, false}) {
                    round++;
                    final MappedRegion writeVia = fromA ? a : b;
                    final MappedRegion readVia = fromA ? b : a;
                    // Distinct values with high and low bits set, so truncation or a stale read shows.
                    final int value = 0x8000_0001 ^ (round * 0x9E37_79B9);
                    final long offset = 4L * (round % 64) + 256;
                    writer.op().write(writeVia, offset, value);
                    assertEquals(value, reader.op().read(readVia, offset),
                        writer.name() + " via " + (fromA ? "creator" : "attacher") + ", read by " + reader.name());
                }
            }
        }
    }

    @Test
    void shouldReadEveryLongWriteModeThroughTheOtherMapping() {
        int round = 0;
        for (final Named<LongWrite> writer : longWriters()) {
            for (final Named<LongRead> reader : longReaders()) {
                for (final boolean fromA : new boolean[] {true, false}) {
                    round++;
                    final MappedRegion writeVia = fromA ? a : b;
                    final MappedRegion readVia = fromA ? b : a;
                    final long value = 0x8000_0000_0000_0001L ^ (round * 0x9E37_79B9_7F4A_7C15L);
                    final long offset = 8L * (round % 64) + 1024;
                    writer.op().write(writeVia, offset, value);
                    assertEquals(value, reader.op().read(readVia, offset),
                        writer.name() + " via " + (fromA ? "creator" : "attacher") + ", read by " + reader.name());
                }
            }
        }
    }

    @Test
    void shouldKeepAdjacentValuesApart() {
        // An int write must touch exactly its four bytes: neighbours on both sides keep their values.
        a.putLongVolatile(0, -1L);
        a.putLongVolatile(8, -1L);
        b.putIntVolatile(4, 0);
        b.putIntVolatile(12, 0x1234_5678);
        assertEquals(-1, a.getIntVolatile(0));
        assertEquals(0, a.getIntVolatile(4));
        assertEquals(-1, a.getIntVolatile(8));
        assertEquals(0x1234_5678, a.getIntVolatile(12));
    }

    // ---------------------------------------------------------------------------------------------
    // Read-modify-write semantics across the two mappings
    // ---------------------------------------------------------------------------------------------

    @Test
    void shouldCompareAndSetIntOnlyWhenTheExpectedValueIsThere() {
        a.putIntVolatile(16, 10);

        assertFalse(b.compareAndSetInt(16, 11, 20), "wrong expectation must fail");
        assertEquals(10, a.getIntVolatile(16), "a failed CAS writes nothing");
        assertTrue(b.compareAndSetInt(16, 10, 20));
        assertEquals(20, a.getIntVolatile(16));
    }

    @Test
    void shouldCompareAndSetLongOnlyWhenTheExpectedValueIsThere() {
        a.putLongVolatile(16, 1L << 40);

        assertFalse(b.compareAndSetLong(16, (1L << 40) + 1, 5), "wrong expectation must fail");
        assertEquals(1L << 40, a.getLongVolatile(16));
        assertTrue(b.compareAndSetLong(16, 1L << 40, -5));
        assertEquals(-5, a.getLongVolatile(16));
    }

    @Test
    void shouldCompareAndExchangeReturningTheWitness() {
        a.putIntVolatile(32, 7);
        assertEquals(7, b.compareAndExchangeInt(32, 8, 9), "failure returns what was found");
        assertEquals(7, a.getIntVolatile(32));
        assertEquals(7, b.compareAndExchangeInt(32, 7, 9), "success returns the expected value");
        assertEquals(9, a.getIntVolatile(32));

        a.putLongVolatile(40, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, b.compareAndExchangeLong(40, 0, 1));
        assertEquals(Long.MAX_VALUE, a.getLongVolatile(40));
        assertEquals(Long.MAX_VALUE, b.compareAndExchangeLong(40, Long.MAX_VALUE, 1));
        assertEquals(1, a.getLongVolatile(40));
    }

    @Test
    void shouldGetAndAddReturningThePreviousValueAndWrapping() {
        a.putIntVolatile(48, Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, b.getAndAddInt(48, 1));
        assertEquals(Integer.MIN_VALUE, a.getIntVolatile(48), "int addition wraps like Java's");
        assertEquals(Integer.MIN_VALUE, b.getAndAddInt(48, -1));
        assertEquals(Integer.MAX_VALUE, a.getIntVolatile(48));

        a.putLongVolatile(56, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, b.getAndAddLong(56, 1));
        assertEquals(Long.MIN_VALUE, a.getLongVolatile(56));
        assertEquals(Long.MIN_VALUE, b.getAndAddLong(56, 10));
        assertEquals(Long.MIN_VALUE + 10, a.getLongVolatile(56));
    }

    @Test
    void shouldGetAndSetReturningThePreviousValue() {
        a.putIntVolatile(64, 3);
        assertEquals(3, b.getAndSetInt(64, 4));
        assertEquals(4, a.getIntVolatile(64));

        a.putLongVolatile(72, 30);
        assertEquals(30, b.getAndSetLong(72, 40));
        assertEquals(40, a.getLongVolatile(72));
    }

    // ---------------------------------------------------------------------------------------------
    // Bad offsets are refused, never a crash
    // ---------------------------------------------------------------------------------------------

    private interface Access {
        void at(MappedRegion region, long offset);
    }

    private static List<Named<Access>> intAccesses() {
        return List.of(
            new Named<>("getInt", MappedRegion::getInt),
            new Named<>("getIntOpaque", MappedRegion::getIntOpaque),
            new Named<>("getIntAcquire", MappedRegion::getIntAcquire),
            new Named<>("getIntVolatile", MappedRegion::getIntVolatile),
            new Named<>("putInt", (r, o) -> r.putInt(o, 1)),
            new Named<>("putIntOpaque", (r, o) -> r.putIntOpaque(o, 1)),
            new Named<>("putIntRelease", (r, o) -> r.putIntRelease(o, 1)),
            new Named<>("putIntVolatile", (r, o) -> r.putIntVolatile(o, 1)),
            new Named<>("compareAndSetInt", (r, o) -> r.compareAndSetInt(o, 0, 1)),
            new Named<>("compareAndExchangeInt", (r, o) -> r.compareAndExchangeInt(o, 0, 1)),
            new Named<>("getAndAddInt", (r, o) -> r.getAndAddInt(o, 1)),
            new Named<>("getAndSetInt", (r, o) -> r.getAndSetInt(o, 1)));
    }

    private static List<Named<Access>> longAccesses() {
        return List.of(
            new Named<>("getLong", MappedRegion::getLong),
            new Named<>("getLongOpaque", MappedRegion::getLongOpaque),
            new Named<>("getLongAcquire", MappedRegion::getLongAcquire),
            new Named<>("getLongVolatile", MappedRegion::getLongVolatile),
            new Named<>("putLong", (r, o) -> r.putLong(o, 1)),
            new Named<>("putLongOpaque", (r, o) -> r.putLongOpaque(o, 1)),
            new Named<>("putLongRelease", (r, o) -> r.putLongRelease(o, 1)),
            new Named<>("putLongVolatile", (r, o) -> r.putLongVolatile(o, 1)),
            new Named<>("compareAndSetLong", (r, o) -> r.compareAndSetLong(o, 0, 1)),
            new Named<>("compareAndExchangeLong", (r, o) -> r.compareAndExchangeLong(o, 0, 1)),
            new Named<>("getAndAddLong", (r, o) -> r.getAndAddLong(o, 1)),
            new Named<>("getAndSetLong", (r, o) -> r.getAndSetLong(o, 1)));
    }

    @Test
    void shouldRefuseOutOfBoundsOffsets() {
        // Aligned offsets, so that only the bounds are wrong.
        final long[] badIntOffsets = {BODY_LENGTH, BODY_LENGTH + 4, -4, -BODY_LENGTH, Long.MIN_VALUE, Long.MAX_VALUE - 3};
        final long[] badLongOffsets = {BODY_LENGTH, BODY_LENGTH + 8, -8, -BODY_LENGTH, Long.MIN_VALUE, Long.MAX_VALUE - 7};
        assertRefused(intAccesses(), badIntOffsets, IndexOutOfBoundsException.class);
        assertRefused(longAccesses(), badLongOffsets, IndexOutOfBoundsException.class);
        assertNothingWasWritten();
    }

    @Test
    void shouldRefuseMisalignedOffsets() {
        final long[] misalignedIntOffsets = {1, 2, 3, 5, BODY_LENGTH - 5};
        final long[] misalignedLongOffsets = {1, 4, 7, 12, BODY_LENGTH - 12};
        assertRefused(intAccesses(), misalignedIntOffsets, IllegalArgumentException.class);
        assertRefused(longAccesses(), misalignedLongOffsets, IllegalArgumentException.class);
        assertNothingWasWritten();
    }

    @Test
    void shouldAccessTheLastAlignedSlotsOfTheBody() {
        b.putIntVolatile(BODY_LENGTH - 4, 44);
        assertEquals(44, a.getIntVolatile(BODY_LENGTH - 4));
        b.putLongVolatile(BODY_LENGTH - 16, 88);
        assertEquals(88, a.getLongVolatile(BODY_LENGTH - 16));
    }

    private <E extends RuntimeException> void assertRefused(
        final List<Named<Access>> accesses,
        final long[] offsets,
        final Class<E> expected) {
        for (final Named<Access> access : accesses) {
            for (final long offset : offsets) {
                for (final MappedRegion region : List.of(a, b)) {
                    final E e = assertThrows(expected, () -> access.op().at(region, offset),
                        access.name() + " at offset " + offset);
                    assertNotNull(e.getMessage(), access.name() + " at offset " + offset);
                }
            }
        }
    }

    /** The refused writes must not have landed anywhere in the body, nor broken the header. */
    private void assertNothingWasWritten() {
        for (long offset = 0; offset < BODY_LENGTH; offset += Long.BYTES) {
            assertEquals(0, a.getLong(offset), "body changed at offset " + offset);
        }
        try (MappedRegion third = namespace.attachRegion("accessors", KIND, 1)) {
            assertTrue(third.isReady());
            assertEquals(BODY_LENGTH, third.bodyLength());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Atomicity across mappings
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldAddAtomicallyFromTwoThreadsThroughDifferentMappings() throws Exception {
        final int perThread = 1_000_000;
        final long offset = 128;
        final CyclicBarrier start = new CyclicBarrier(2);
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            final List<Future<Long>> results = new ArrayList<>();
            for (final MappedRegion region : List.of(a, b)) {
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    long lastSeen = Long.MIN_VALUE;
                    for (int i = 0; i < perThread; i++) {
                        final long previous = region.getAndAddLong(offset, 1);
                        // Each thread's own view must only ever move forwards.
                        if (previous <= lastSeen) {
                            throw new AssertionError("counter went backwards: " + previous + " after " + lastSeen);
                        }
                        lastSeen = previous;
                    }
                    return lastSeen;
                }));
            }
            for (final Future<Long> result : results) {
                try {
                    assertTrue(result.get(100, TimeUnit.SECONDS) < 2L * perThread);
                } catch (final ExecutionException e) {
                    throw new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(2L * perThread, a.getLongVolatile(offset));
        assertEquals(2L * perThread, b.getLongVolatile(offset));
    }
}
