package dev.mproc.tests.ipc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedInt;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many producers and consumers in separate JVMs on one queue: {@value #PRODUCERS} producer JVMs
 * put {@value #MESSAGES_EACH} numbered messages each, {@value #CONSUMERS} consumer JVMs take them.
 * Every message must arrive exactly once (the consumers count each receipt in a shared array,
 * checked here to be all ones), and each consumer must see each producer's messages in the order
 * they were put (the queue promises per-producer order; a consumer sees a subsequence of it).
 * <p>
 * The consumers stop on a {@link QueueTrafficChild#STOP} value each, put by this JVM once every
 * producer has said its last put returned: puts are taken in the order they completed, so the
 * stop values come after every message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class QueueManyToManyAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(90);
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 2;
    private static final int MESSAGES_EACH = 100_000;

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
    void shouldDeliverEveryMessageExactlyOnceAndInEachProducersOrder() throws InterruptedException {
        final int total = PRODUCERS * MESSAGES_EACH;
        final List<ChildJvm> producers = new ArrayList<>();
        final List<ChildJvm> consumers = new ArrayList<>();
        try (Queue<Integer> queue = Queue.create(namespace);
             SharedIntArray receipts = SharedIntArray.create(namespace, total);
             SharedInt go = SharedInt.create(namespace, 0)) {
            for (int i = 0; i < CONSUMERS; i++) {
                consumers.add(ChildJvm.start(QueueTrafficChild.class, "consume", queue.file().toString(),
                    receipts.file().toString(), Integer.toString(MESSAGES_EACH)));
            }
            for (int p = 0; p < PRODUCERS; p++) {
                producers.add(ChildJvm.start(QueueTrafficChild.class, "produce", queue.file().toString(),
                    go.file().toString(), Integer.toString(p), Integer.toString(MESSAGES_EACH)));
            }
            for (final ChildJvm child : consumers) {
                child.awaitLine("READY", STARTUP);
            }
            for (final ChildJvm child : producers) {
                child.awaitLine("READY", STARTUP);
            }
            // The producers start together, so that their puts interleave.
            go.set(1);

            for (final ChildJvm producer : producers) {
                producer.awaitLine("DONE", WORK);
                assertEquals(0, producer.waitFor(WORK), producer.describe("failed"));
            }
            for (int i = 0; i < CONSUMERS; i++) {
                queue.put(QueueTrafficChild.STOP);
            }

            long received = 0;
            for (final ChildJvm consumer : consumers) {
                final String[] report = consumer.awaitLine("DONE", WORK).split(" ");
                assertEquals("0 0 -", report[1] + " " + report[2] + " " + report[3],
                    consumer.describe("saw messages out of their producer's order, or twice (violations, duplicates, first)"));
                received += Long.parseLong(report[0]);
                assertEquals(0, consumer.waitFor(WORK), consumer.describe("failed"));
            }
            assertEquals(total, received, "messages taken by the consumers");
            checkEachReceivedOnce(receipts.toArray());
            assertEquals(0, queue.size(), "messages left in the queue");
        } finally {
            producers.forEach(ChildJvm::close);
            consumers.forEach(ChildJvm::close);
        }
    }

    private static void checkEachReceivedOnce(final int[] receipts) {
        int wrong = 0;
        int firstWrong = -1;
        for (int i = 0; i < receipts.length; i++) {
            if (receipts[i] != 1) {
                wrong++;
                if (firstWrong < 0) {
                    firstWrong = i;
                }
            }
        }
        if (wrong != 0) {
            fail(wrong + " of " + receipts.length + " messages were not received exactly once; the first is message "
                + firstWrong + " (producer " + firstWrong / MESSAGES_EACH + ", number " + firstWrong % MESSAGES_EACH
                + "), received " + receipts[firstWrong] + " times");
        }
    }
}
