package dev.mproc.tests.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Condition;
import dev.mproc.sync.Lock;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import dev.mproc.tests.TestRegions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bounded buffer in shared memory, guarded by a cross-process {@link Lock} with two
 * {@link Condition}s (not full, not empty), moving {@value #ITEMS} items from one producer JVM to
 * two consumer JVMs: every item must be taken exactly once, and all three must finish.
 * <p>
 * What this catches: a lost signal (a JVM waits forever and the line never comes), a signal that
 * releases a waiter without the lock or without the producer's writes (an item taken twice, or a
 * stale slot read: wrong counts or sum), a wake-up of the wrong condition's waiters that the
 * {@code while} loops would hide only if it also woke the right one. The ring is only
 * {@value BufferChild#CAPACITY} slots, so the producer waits on {@code notFull} and the consumers
 * on {@code notEmpty} thousands of times.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class ConditionBufferAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(60);
    private static final int ITEMS = 20_000;
    private static final int CONSUMERS = 2;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = SharedRoot.createPrivateNamespace();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldMoveEveryItemExactlyOnceFromOneProducerJvmToTwoConsumerJvms() {
        final String dir = namespace.directory().toString();
        try (MappedRegion data = namespace.createRegion("data", TestRegions.KIND, TestRegions.VERSION, BufferChild.length(ITEMS), r -> { });
             Lock lock = Lock.create(namespace, "lock");
             Condition notFull = Condition.create(namespace, "notFull", lock);
             Condition notEmpty = Condition.create(namespace, "notEmpty", lock);
             ChildJvm producer = ChildJvm.start(BufferChild.class, dir, "producer", Integer.toString(ITEMS), Integer.toString(CONSUMERS));
             ChildJvm consumerA = ChildJvm.start(BufferChild.class, dir, "consumer");
             ChildJvm consumerB = ChildJvm.start(BufferChild.class, dir, "consumer")) {
            producer.awaitLine("READY", STARTUP);
            consumerA.awaitLine("READY", STARTUP);
            consumerB.awaitLine("READY", STARTUP);
            data.putLongRelease(BufferChild.GO, 1);

            assertEquals(Integer.toString(ITEMS), producer.awaitLine("PRODUCED", WORK), producer.describe("did not finish"));
            final String[] a = consumerA.awaitLine("CONSUMED", WORK).split(" ");
            final String[] b = consumerB.awaitLine("CONSUMED", WORK).split(" ");
            assertEquals(0, producer.waitFor(WORK), producer.describe("failed"));
            assertEquals(0, consumerA.waitFor(WORK), consumerA.describe("failed"));
            assertEquals(0, consumerB.waitFor(WORK), consumerB.describe("failed"));

            assertEquals(ITEMS, Long.parseLong(a[0]) + Long.parseLong(b[0]), "items taken: " + a[0] + " + " + b[0]);
            assertEquals((long) ITEMS * (ITEMS - 1) / 2, Long.parseLong(a[1]) + Long.parseLong(b[1]), "sum of the items taken");
            for (int i = 0; i < ITEMS; i++) {
                final int seen = data.getIntVolatile(BufferChild.SEEN + 4L * i);
                if (seen != 1) {
                    assertEquals(1, seen, "item " + i + " was taken " + seen + " times");
                }
            }
            assertEquals(ITEMS + CONSUMERS, data.getLong(BufferChild.TAIL), "items and poisons put");
            assertEquals(ITEMS + CONSUMERS, data.getLong(BufferChild.HEAD), "items and poisons taken");
            assertEquals(0, notFull.waiting() + notEmpty.waiting(), "waiters left on the conditions");
        }
    }
}
