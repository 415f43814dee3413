package dev.mproc.tests.ipc;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value many times larger than a queue's ring goes to another JVM and back whole: this JVM puts
 * a {@value #SIZE}-byte array of random bytes into queue A (1 MiB ring, so it travels in
 * fragments of at most 256 KiB while the consumer takes them), a child ({@link RelayChild}) takes
 * it and puts it into queue B, and the array taken from B must equal the original byte for byte.
 * <p>
 * The relay child gets a 320 MiB heap instead of the children's usual 64 MiB: it holds the value
 * up to three times at once (the gathered message, the decoded array, its encoding).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class LargeValueAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(30);
    private static final int SIZE = 64 << 20;

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
    void shouldCarryAValueManyTimesTheRingToAnotherJvmAndBack() throws InterruptedException {
        final byte[] original = new byte[SIZE];
        new SplittableRandom(SIZE).nextBytes(original);
        try (Queue<byte[]> there = Queue.create(namespace);
             Queue<byte[]> back = Queue.create(namespace);
             ChildJvm child = ChildJvm.start(RelayChild.class, List.of("-Xmx320m"), Map.of(),
                 there.file().toString(), back.file().toString())) {
            assertTrue(SIZE >= 16L * there.capacity(), "the value should be many times the ring: ring=" + there.capacity());
            child.awaitLine("READY", STARTUP);

            // Returns once the last fragment is in the ring, which needs the child taking the others meanwhile.
            there.put(original);
            final byte[] returned = back.poll(WORK.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(returned, child.describe("sent nothing back within " + WORK.toMillis() + " ms"));

            assertEquals(Integer.toString(SIZE), child.awaitLine("RELAYED", WORK), child.describe("relayed wrongly"));
            assertEquals(SIZE, returned.length, "length of the array that came back");
            final int mismatch = Arrays.mismatch(original, returned);
            assertEquals(-1, mismatch, "the array came back changed; first difference at index " + mismatch);
            assertEquals(0, child.waitFor(WORK), child.describe("failed"));
            assertEquals(0, there.size() + back.size(), "values left in the queues");
        }
    }
}
