package dev.mproc.benchmarks.jmh;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.infra.Blackhole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each ring benchmark, run by hand: what comes out of the ring is what went in, in order, also
 * after the ring's end has been passed, and the namespace is gone after tear-down.
 *
 * <p>Agrona's buffers need {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which
 * this test JVM does not have (and should not: mproc must work without it). Its benchmarks are
 * therefore run in a child JVM started with exactly the arguments their {@code @Fork} gives JMH's
 * forks, which also shows that those arguments are enough.
 */
class RingBenchmarkTest {
    private static final int CALLS = 3;
    /** 20 batches of 64 messages of 64 bytes plus headers pass the end of a 64 KiB ring at least once. */
    private static final int BATCH_CALLS = 20;
    private static final String NAMESPACE_LINE = "namespace: ";
    private static final String DONE_LINE = "agrona benchmarks checked";

    /** What a batched benchmark does with the blackhole it is given. */
    @FunctionalInterface
    interface Batch {
        void run(Blackhole blackhole) throws Exception;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldReceiveFromThePipeTheBytesSentInOrder() throws Exception {
        final RingBenchmark benchmark = new RingBenchmark();
        final RingBenchmark.PipeRing ring = new RingBenchmark.PipeRing();
        ring.setUp();
        final Path directory = ring.namespace.directory();
        try {
            assertReceivesWhatWasSent(ring, () -> benchmark.pipeSendRecv(ring),
                blackhole -> benchmark.pipeSendRecvBatch(ring, blackhole));
        } finally {
            ring.tearDown();
        }
        assertFalse(Files.exists(directory), directory + " after tear-down");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldPollFromTheQueueTheIntegerPut() throws Exception {
        final RingBenchmark benchmark = new RingBenchmark();
        final RingBenchmark.QueueRing ring = new RingBenchmark.QueueRing();
        ring.setUp();
        final Path directory = ring.namespace.directory();
        try {
            // Enough calls to pass the end of the ring: each message is a few bytes plus a header.
            for (int i = 0; i < 10_000; i++) {
                assertEquals(RingBenchmark.QUEUE_VALUE, benchmark.queuePutPoll(ring));
            }
            assertTrue(ring.queue.isEmpty(), "every value put was polled: size=" + ring.queue.size());
        } finally {
            ring.tearDown();
        }
        assertFalse(Files.exists(directory), directory + " after tear-down");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReadFromAgronasRingTheBytesWrittenInAForkWithTheForksArguments() throws Exception {
        final List<String> forkArguments = agronaForkArguments();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(forkArguments);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgronaFork.class.getName()));
        final Process fork = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, fork.waitFor(), "child JVM " + forkArguments + " said:\n" + output);
        assertTrue(output.contains(DONE_LINE), output);
        final Path directory = namespaceOf(output);
        assertFalse(Files.exists(directory), directory + " after the child's tear-down");
    }

    /**
     * The child JVM's entry point: runs both Agrona benchmarks as the pipe's are run above, then
     * prints its namespace directory for the parent to check.
     */
    static final class AgronaFork {
        public static void main(final String[] args) throws Exception {
            final RingBenchmark benchmark = new RingBenchmark();
            final RingBenchmark.AgronaRing ring = new RingBenchmark.AgronaRing();
            ring.setUp();
            final Path directory = ring.namespace.directory();
            try {
                assertReceivesWhatWasSent(ring, () -> benchmark.agronaWriteRead(ring),
                    blackhole -> benchmark.agronaWriteReadBatch(ring, blackhole));
            } finally {
                ring.tearDown();
                System.out.println(NAMESPACE_LINE + directory);
            }
            System.out.println(DONE_LINE);
        }
    }

    /** Both Agrona benchmarks carry the same fork arguments, and this is them. */
    private static List<String> agronaForkArguments() throws NoSuchMethodException {
        final Method single = RingBenchmark.class.getMethod("agronaWriteRead", RingBenchmark.AgronaRing.class);
        final Method batch = RingBenchmark.class.getMethod("agronaWriteReadBatch", RingBenchmark.AgronaRing.class,
            Blackhole.class);
        final Fork fork = single.getAnnotation(Fork.class);
        assertNotNull(fork, "agronaWriteRead has its own @Fork");
        assertArrayEquals(fork.jvmArgsAppend(), batch.getAnnotation(Fork.class).jvmArgsAppend());
        return List.of(fork.jvmArgsAppend());
    }

    private static void assertReceivesWhatWasSent(final RingBenchmark.Messages ring, final Callable<Integer> single,
                                                  final Batch batch) throws Exception {
        assertFalse(Arrays.equals(ring.batch, 0, RingBenchmark.MESSAGE_BYTES, ring.batch, RingBenchmark.MESSAGE_BYTES,
            2 * RingBenchmark.MESSAGE_BYTES), "the messages of a batch differ, so that order shows");
        for (int i = 0; i < CALLS; i++) {
            Arrays.fill(ring.received, (byte) 0);
            assertEquals(RingBenchmark.MESSAGE_BYTES, single.call());
            assertArrayEquals(ring.message, ring.received, "message of call " + i);
        }
        final Blackhole blackhole = TestBlackholes.create();
        for (int i = 0; i < BATCH_CALLS; i++) {
            Arrays.fill(ring.receivedBatch, (byte) 0);
            batch.run(blackhole);
            assertArrayEquals(ring.batch, ring.receivedBatch, "batch of call " + i);
        }
    }

    private static Path namespaceOf(final String output) throws IOException {
        for (final String line : output.split("\n")) {
            if (line.startsWith(NAMESPACE_LINE)) {
                return Path.of(line.substring(NAMESPACE_LINE.length()).strip());
            }
        }
        throw new IOException("the child printed no '" + NAMESPACE_LINE + "' line:\n" + output);
    }
}
