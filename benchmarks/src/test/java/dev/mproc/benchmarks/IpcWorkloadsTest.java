package dev.mproc.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.ipc.ChannelClosedException;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ipc workloads' own checks, with their sides as threads of this JVM (the smoke test runs them
 * as JVMs): a clean run records every figure from side A, and a run whose messages, items or
 * counter do not add up fails every side instead of reporting a rate.
 */
class IpcWorkloadsTest {
    private static final int RUNS = 2;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe-bytes-64b", "pipe-objects", "queue-1p1c", "queue-4p1c", "pipe-pingpong-spin",
        "pipe-pingpong-default", "shared-long-atomic", "shared-long-locked"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRecordEveryFigureOfEveryRunFromSideAWhenEverythingArrives(final String name) throws Exception {
        final Workload workload = Workloads.byName(name);
        final List<ThreadSides.Outcome> outcomes = run(workload, 3_000);

        for (int side = 0; side < outcomes.size(); side++) {
            assertNull(outcomes.get(side).failure(), "side " + side + " failed: " + outcomes.get(side).failure());
        }
        for (final Figure figure : workload.figures()) {
            final List<String> lines = outcomes.get(0).figureLines(figure.name());
            assertEquals(RUNS, lines.size(), figure.name() + " in side A's output:\n" + outcomes.get(0).output());
            for (final String line : lines) {
                assertTrue(Double.parseDouble(line.split(" ")[2]) > 0, line);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRecordTheLargeMessageFiguresWhenEveryMessageArrivesWhole() throws Exception {
        for (final String name : List.of("pipe-bytes-1mib", "queue-bytes-1mib")) {
            final Workload workload = Workloads.byName(name);
            try (Namespace own = Namespace.createPrivate();
                 MappedRegion data = ThreadSides.dataRegion(workload, own)) {
                final List<ThreadSides.Outcome> outcomes = ThreadSides.run(workload, own, data, RUNS, 5);
                assertNull(outcomes.get(0).failure(), name + " side A: " + outcomes.get(0).failure());
                assertNull(outcomes.get(1).failure(), name + " side B: " + outcomes.get(1).failure());
                assertEquals(RUNS, outcomes.get(0).figureLines("throughput").size(), name + ": " + outcomes.get(0));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailBothSidesWhenTheCounterDoesNotAddUp() throws Exception {
        for (final String name : List.of("shared-long-atomic", "shared-long-locked")) {
            try (Namespace own = Namespace.createPrivate()) {
                // Seven increments nobody made: what a lost update looks like, reversed.
                SharedLong.create(own, "counter", 7).close();
                final Workload workload = Workloads.byName(name);
                try (MappedRegion data = ThreadSides.dataRegion(workload, own)) {
                    final List<ThreadSides.Outcome> outcomes = ThreadSides.run(workload, own, data, RUNS, 1_000);
                    for (final ThreadSides.Outcome outcome : outcomes) {
                        assertInstanceOf(IllegalStateException.class, outcome.failure(), name + ": " + outcome);
                        final String message = outcome.failure().getMessage();
                        assertTrue(message.contains("value=" + (2 * 1_000 + 7)) || message.contains("abandoned"),
                            name + ": " + message);
                        assertEquals("", outcome.output(), "a failed side reports no figure");
                    }
                }
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailBothSidesWhenTheReceiverGetsABytesMessageItWasNotSent() throws Exception {
        final Workload workload = Workloads.byName("pipe-bytes-64b");
        // A stray message ahead of the sender's first: the receiver must see sequence 1 and does not.
        // The handle is left open: closing it would close both ends of the pipe for the sides too.
        final Pipe stray = Pipe.builder().duplex(false).create(namespace, "pipe");
        final byte[] message = new byte[64];
        message[0] = 99;
        stray.right().sendBytes(message);

        final List<ThreadSides.Outcome> outcomes = run(workload, 20_000);

        final Throwable receiver = outcomes.get(1).failure();
        assertInstanceOf(IllegalStateException.class, receiver, String.valueOf(receiver));
        assertTrue(receiver.getMessage().contains("expected sequence 1 at byte 0, got 99"), receiver.getMessage());
        assertSenderFailed(outcomes.get(0));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailBothSidesWhenTheReceiverGetsAValueItWasNotSent() throws Exception {
        final Workload workload = Workloads.byName("pipe-objects");
        final Pipe stray = Pipe.builder().duplex(false).create(namespace, "pipe");
        stray.right().send("stray");

        final List<ThreadSides.Outcome> outcomes = run(workload, 40_000);

        final Throwable receiver = outcomes.get(1).failure();
        assertInstanceOf(IllegalStateException.class, receiver, String.valueOf(receiver));
        assertTrue(receiver.getMessage().contains("expected 1, got stray (java.lang.String)"), receiver.getMessage());
        assertSenderFailed(outcomes.get(0));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailEverySideWhenTheConsumerTakesAnItemNoProducerPut() throws Exception {
        final Workload workload = Workloads.byName("queue-4p1c");
        try (Queue<Integer> queue = Queue.create(namespace, "queue")) {
            queue.put(12_345);
        }

        final List<ThreadSides.Outcome> outcomes = run(workload, 2_000);

        final Throwable consumer = outcomes.get(0).failure();
        assertInstanceOf(IllegalStateException.class, consumer, String.valueOf(consumer));
        assertTrue(consumer.getMessage().contains("producer 0 sequence 12345 after 0"), consumer.getMessage());
        for (int producer = 1; producer < outcomes.size(); producer++) {
            final Throwable failure = outcomes.get(producer).failure();
            assertInstanceOf(IllegalStateException.class, failure, "producer side " + producer + ": " + failure);
            assertTrue(failure.getMessage().contains("side A failed and abandoned the runs"), failure.getMessage());
        }
    }

    /** The sender was blocked on a full ring (the receiver closed its end) or at the barrier (abandoned). */
    private static void assertSenderFailed(final ThreadSides.Outcome sender) {
        final Throwable failure = sender.failure();
        assertTrue(failure instanceof ChannelClosedException
                || failure instanceof IllegalStateException && failure.getMessage().contains("side B failed"),
            "the sender should fail too: " + failure);
        assertEquals("", sender.output());
    }

    private List<ThreadSides.Outcome> run(final Workload workload, final long iterations) throws Exception {
        try (MappedRegion data = ThreadSides.dataRegion(workload, namespace)) {
            return ThreadSides.run(workload, namespace, data, RUNS, iterations);
        }
    }
}
