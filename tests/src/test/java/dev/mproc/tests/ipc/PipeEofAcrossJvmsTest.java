package dev.mproc.tests.ipc;

import dev.mproc.tests.MappedFileSleepProbe;
import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End-of-file on a pipe whose other end is in another JVM: everything the peer sent is received
 * first, then {@code recv()} throws {@link EOFException}, whether the peer closed its end or its
 * process was killed without closing (the receiver checks the peer's process every ~50 ms while
 * it waits, so a blocked {@code recv} ends too, within a bound).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class PipeEofAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    /** The peer is checked every ~50 ms; wall time on a shared two-core machine gets more. */
    private static final Duration EOF_BOUND = Duration.ofSeconds(2);

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
    void shouldReceiveWhatWasSentThenEofAfterThePeerClosedItsEnd() throws Exception {
        try (Pipe pipe = Pipe.create(namespace, false);
             ChildJvm sender = ChildJvm.start(PipeSenderChild.class, "close", pipe.file().toString())) {
            // Nothing is received before the close: the messages must outlive it.
            sender.awaitLine("CLOSED", STARTUP);
            assertEquals(List.of("m0", "m1", "m2"), receiveAll(pipe.left()), "messages sent before the close");
            assertThrows(EOFException.class, pipe.left()::recv, "recv after everything was received");
            assertThrows(EOFException.class, pipe.left()::recv, "recv again: end-of-file stays");
            assertTrue(sender.isAlive(), sender.describe("should still run: the end-of-file must come from the close"));
            sender.send("EXIT");
            assertEquals(0, sender.waitFor(PROMPT), sender.describe("failed"));
        }
    }

    @Test
    void shouldReceiveWhatAKilledPeerSentThenEof() throws Exception {
        try (Pipe pipe = Pipe.create(namespace, false);
             ChildJvm sender = ChildJvm.start(PipeSenderChild.class, "hold", pipe.file().toString())) {
            sender.awaitLine("SENT", STARTUP);
            sender.kill();
            assertEquals(128 + 9, sender.waitFor(PROMPT), sender.describe("was not ended by SIGKILL"));

            assertEquals(List.of("m0", "m1", "m2"), receiveAll(pipe.left()), "messages sent before the death");
            final long start = System.nanoTime();
            assertThrows(EOFException.class, pipe.left()::recv, "recv after everything the dead peer sent");
            assertTrue(System.nanoTime() - start <= EOF_BOUND.toNanos(), "end-of-file of a dead peer took "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "checks the receiver sleeps in futex through /proc")
    void shouldEndABlockedRecvWithEofWhenThePeerIsKilled() throws Exception {
        try (Pipe pipe = Pipe.create(namespace, false);
             ChildJvm sender = ChildJvm.start(PipeSenderChild.class, "hold", pipe.file().toString())) {
            final Connection end = pipe.left();
            final CountDownLatch drained = new CountDownLatch(1);
            final CompletableFuture<Object> lastRecv = CompletableFuture.supplyAsync(() -> {
                try {
                    final List<Object> received = receiveAll(end);
                    if (!received.equals(List.of("m0", "m1", "m2"))) {
                        throw new IllegalStateException("received " + received);
                    }
                    drained.countDown();
                    return end.recv();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofPlatform().name("receiver").start(runnable));

            sender.awaitLine("SENT", STARTUP);
            if (!drained.await(PROMPT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the receiver did not get the three messages: " + lastRecv);
            }
            if (!MappedFileSleepProbe.awaitAsleepOn(ProcessHandle.current().pid(), pipe.file(), PROMPT)) {
                fail("the receiver never slept in recv; it " + (lastRecv.isDone() ? "returned: " + lastRecv : "runs"));
            }
            final long killedAt = System.nanoTime();
            sender.kill();
            final ExecutionException ended = assertThrows(ExecutionException.class,
                () -> lastRecv.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS), "the blocked recv should fail");
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertInstanceOf(EOFException.class, ended.getCause().getCause(), "why the blocked recv ended");
            assertTrue(tookMillis <= EOF_BOUND.toMillis(), "the blocked recv ended " + tookMillis + " ms after the kill; bound "
                + EOF_BOUND.toMillis() + " ms");
            assertEquals(128 + 9, sender.waitFor(PROMPT), sender.describe("was not ended by SIGKILL"));
        }
    }

    /** Receives the sender's messages, each within {@link #PROMPT}. */
    private static List<Object> receiveAll(final Connection end) throws Exception {
        final List<Object> received = new ArrayList<>();
        for (int i = 0; i < PipeSenderChild.MESSAGES; i++) {
            if (!end.poll(PROMPT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("message " + i + " did not come within " + PROMPT.toMillis() + " ms; got " + received);
            }
            received.add(end.recv());
        }
        return received;
    }
}
