package dev.mproc.ipc;

import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedDouble: every operation's result, compare-and-set by bit pattern, two handles of one
 * file, create-or-attach by name, serialisation, the shared lock, and exact sums under
 * contention (the CAS loop loses no addition).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SharedDoubleTest {
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
    void shouldReturnTheResultOfEveryOperation() {
        try (SharedDouble value = SharedDouble.create(namespace, 1.5)) {
            assertEquals(1.5, value.get());
            value.set(2.25);
            assertEquals(2.25, value.get());
            assertEquals(2.25, value.getAndAdd(0.5));
            assertEquals(2.75, value.get());
            assertEquals(3.0, value.addAndGet(0.25));
            assertTrue(value.compareAndSet(3.0, -7.5));
            assertFalse(value.compareAndSet(3.0, 9.0));
            assertEquals(-7.5, value.get());
            assertEquals(-7.5, value.getAndSet(Double.MAX_VALUE));
            assertEquals(Double.MAX_VALUE, value.get());
        }
    }

    @Test
    void shouldCompareBitPatternsInCompareAndSet() {
        try (SharedDouble value = SharedDouble.create(namespace, 0.0)) {
            assertFalse(value.compareAndSet(-0.0, 1.0), "-0.0 has other bits than 0.0");
            assertTrue(value.compareAndSet(0.0, Double.NaN));
            assertTrue(value.compareAndSet(Double.NaN, -0.0), "NaN matches the same NaN");
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(value.get()));
        }
    }

    @Test
    void shouldSeeWritesThroughAnotherHandleOfTheSameFile() {
        try (SharedDouble created = SharedDouble.create(namespace, 1.0);
             SharedDouble attached = SharedDouble.attach(created.file())) {
            assertEquals(1.0, attached.get());
            created.set(Math.PI);
            assertEquals(Math.PI, attached.get());
            attached.addAndGet(1.0);
            assertEquals(Math.PI + 1.0, created.get());
        }
    }

    @Test
    void shouldAttachByNameAndIgnoreTheInitialValue() {
        try (SharedDouble first = SharedDouble.create(namespace, "ratio", 0.5);
             SharedDouble second = SharedDouble.create(namespace, "ratio", 99.0)) {
            assertEquals(0.5, second.get());
            second.set(0.75);
            assertEquals(0.75, first.get());
        }
    }

    @Test
    void shouldReattachAfterSerialisation() throws Exception {
        try (SharedDouble value = SharedDouble.create(namespace, 3.5);
             SharedDouble copy = SharedTestSupport.roundTrip(value)) {
            assertEquals(value.file(), copy.file());
            assertEquals(3.5, copy.get());
            copy.set(-1.0);
            assertEquals(-1.0, value.get());
        }
    }

    @Test
    void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (SharedDouble value = SharedDouble.create(namespace, 0.0);
             SharedDouble attached = SharedDouble.attach(value.file())) {
            SharedTestSupport.assertSameLock(value.getLock(), attached.getLock());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldSumExactlyWhenFourThreadsAddThroughTwoHandles() throws Exception {
        final int threads = 4;
        final int perThread = 100_000;
        try (SharedDouble first = SharedDouble.create(namespace, 0.0);
             SharedDouble second = SharedDouble.attach(first.file())) {
            SharedTestSupport.runTogether(threads, t -> {
                final SharedDouble mine = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    mine.addAndGet(1.0);
                }
            });
            // Whole numbers below 2^53 are exact in a double: any lost update would show.
            assertEquals(threads * perThread, first.get());
        }
    }

    @Test
    void shouldFailOnUseAfterClose() {
        final SharedDouble value = SharedDouble.create(namespace, 1.0);
        value.close();
        value.close();
        assertThrows(IllegalStateException.class, value::get);
        assertThrows(IllegalStateException.class, () -> value.addAndGet(1.0));
    }
}
