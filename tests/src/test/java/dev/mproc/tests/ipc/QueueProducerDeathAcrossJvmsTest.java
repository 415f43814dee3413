package dev.mproc.tests.ipc;

import dev.mproc.tests.MappedFileSleepProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A producer JVM killed with SIGKILL half-way through a fragmented message must not block or
 * corrupt the queue: every message whose put had returned is delivered, in order; the half-written
 * one never is; and another producer JVM's next put goes through (taking over the dead producer's
 * mutex, 50-100 ms after the death by contract) and is the next value taken.
 * <p>
 * The dying producer ({@link QueueProducerChild} {@code stall}) commits {@value #COMMITTED} small
 * messages, then puts {@value #HUGE_BYTES} bytes into a queue whose ring holds {@value #RING_BYTES}:
 * with nobody taking, it writes the first fragments and then sleeps waiting for room, holding the
 * producer mutex with the message half written. That it is really there is checked before the kill:
 * its thread is asleep in futex on the queue file (no other wait of that put can sleep: the ring
 * had room for the first fragment and no other producer competes), and the queue counts only the
 * committed messages.
 * <p>
 * The second producer puts only after this JVM has taken the committed messages, so its value has
 * to come after them; the consumer (this JVM) then meets the dead message's fragments first, must
 * drop them and deliver the second producer's value. The value's put happens while the ring is still
 * full of those fragments, so the put also shows that dropping them frees the ring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the producer sleeps in futex through /proc")
final class QueueProducerDeathAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    /** The contract is 50-100 ms for the takeover; wall time on a shared two-core machine gets more. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(2);
    private static final int RING_BYTES = 64 * 1024;
    private static final int HUGE_BYTES = 4 << 20;
    private static final int COMMITTED = 10;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldDeliverCommittedMessagesAndDropTheHalfWrittenOneOfAKilledProducer() throws InterruptedException {
        try (Queue<Object> queue = Queue.builder().capacity(RING_BYTES).create(namespace);
             ChildJvm dying = ChildJvm.start(QueueProducerChild.class, "stall", queue.file().toString(),
                 Integer.toString(COMMITTED), Integer.toString(HUGE_BYTES));
             ChildJvm next = ChildJvm.start(QueueProducerChild.class, "put", queue.file().toString(), "after")) {
            assertEquals(Integer.toString(COMMITTED), dying.awaitLine("COMMITTED", STARTUP), dying.describe("committed wrongly"));
            dying.awaitLine("HUGE_PUT_STARTED", PROMPT);
            if (!MappedFileSleepProbe.awaitAsleepOn(dying.pid(), queue.file(), PROMPT)) {
                fail(dying.describe("never stalled inside the huge put"));
            }
            assertTrue(dying.isAlive(), dying.describe("should be stalled, not gone"));
            assertEquals(COMMITTED, queue.size(), "messages committed; the half-written one must not count");
            next.awaitLine("READY", STARTUP);

            dying.kill();
            assertEquals(128 + 9, dying.waitFor(PROMPT), dying.describe("was not ended by SIGKILL"));

            for (int i = 0; i < COMMITTED; i++) {
                final Object value = queue.poll(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals("m" + i, value, "committed message " + i + " of the killed producer");
            }
            final long putAt = System.nanoTime();
            next.send("PUT");
            final Object value = queue.poll(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - putAt);
            if (value == null) {
                fail(next.describe("put nothing that arrived within " + PROMPT.toMillis() + " ms of the command; " + queue));
            }
            assertEquals("after", value, "the value after the killed producer's half-written one");
            next.awaitLine("PUT_DONE", PROMPT);
            assertTrue(tookMillis <= TAKEOVER_BOUND.toMillis(), "the value put after the death arrived " + tookMillis
                + " ms after the command; bound " + TAKEOVER_BOUND.toMillis() + " ms");
            assertEquals(0, next.waitFor(PROMPT), next.describe("failed"));

            assertNull(queue.poll(), "the queue should be empty: the half-written message must never be delivered");
            assertEquals(0, queue.size(), "size at the end");
        }
    }
}
