package dev.mproc.benchmarks.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.core.Namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Unix-domain socket transport in this JVM, sender and receiver on two threads (the smoke test
 * of the Java peers runs it between JVMs).
 */
class UdsTransportTest {
    private static final int[] SIZES = {8, 64, 512, 4 << 10, 32 << 10, 256 << 10, 1 << 20};
    private static final int LARGEST = 1 << 20;

    private final UdsTransport transport = new UdsTransport();
    private Namespace namespace;
    private ExecutorService executor;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
        executor = Executors.newCachedThreadPool(r -> {
            final Thread thread = new Thread(r, "uds-test");
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        namespace.close();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryMessageFrom8BytesTo1MibWholeAndInOrder() throws Exception {
        final int rounds = 3;
        try (MessageReceiver in = transport.openReceiver(namespace.directory(), "sizes", LARGEST)) {
            final Future<?> sender = executor.submit(() -> {
                try (MessageSender out = transport.openSender(namespace.directory(), "sizes", LARGEST)) {
                    final byte[] message = new byte[LARGEST];
                    int seq = 0;
                    for (int round = 0; round < rounds; round++) {
                        for (final int size : SIZES) {
                            fill(message, size, seq++);
                            out.send(message, size);
                        }
                    }
                    out.flush();
                }
                return null;
            });
            final byte[] buffer = new byte[LARGEST];
            int seq = 0;
            for (int round = 0; round < rounds; round++) {
                for (final int size : SIZES) {
                    assertEquals(size, in.receive(buffer), "length of message " + seq);
                    check(buffer, size, seq++);
                }
            }
            sender.get();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldPollMinusOneUntilAFlushedMessageIsThereAndThenTakeItWhole() throws Exception {
        try (MessageReceiver in = transport.openReceiver(namespace.directory(), "poll", LARGEST)) {
            final byte[] buffer = new byte[LARGEST];
            assertEquals(-1, in.poll(buffer), "nobody connected yet");
            try (MessageSender out = transport.openSender(namespace.directory(), "poll", LARGEST)) {
                assertEquals(-1, in.poll(buffer), "connected, nothing sent");
                final byte[] message = new byte[LARGEST];
                fill(message, 100, 1);
                out.send(message, 100);
                assertEquals(-1, in.poll(buffer), "batched by the sender, not flushed");
                out.flush();
                assertEquals(100, pollUntilThere(in, buffer));
                check(buffer, 100, 1);
                assertEquals(-1, in.poll(buffer), "taken already");

                // A frame far larger than the socket's buffer arrives in pieces, all of which poll keeps.
                final Future<?> large = executor.submit(() -> {
                    fill(message, LARGEST, 2);
                    out.send(message, LARGEST);
                    out.flush();
                    return null;
                });
                assertEquals(LARGEST, pollUntilThere(in, buffer));
                check(buffer, LARGEST, 2);
                large.get();
                assertEquals(-1, in.poll(buffer));
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldConnectASenderThatOpenedBeforeItsReceiver() throws Exception {
        final AtomicReference<Thread> senderThread = new AtomicReference<>();
        final CompletableFuture<MessageSender> opened = CompletableFuture.supplyAsync(() -> {
            senderThread.set(Thread.currentThread());
            try {
                return transport.openSender(namespace.directory(), "late", 64);
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        }, executor);
        // The sender retries (parked between tries) until the receiver's socket is there.
        while (senderThread.get() == null || senderThread.get().getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        assertFalse(Files.exists(namespace.directory().resolve("late.sock")));
        try (MessageReceiver in = transport.openReceiver(namespace.directory(), "late", 64);
             MessageSender out = opened.get()) {
            final byte[] message = new byte[64];
            fill(message, 64, 7);
            out.send(message, 64);
            out.flush();
            final byte[] buffer = new byte[64];
            assertEquals(64, in.receive(buffer));
            check(buffer, 64, 7);
            assertFalse(Files.exists(namespace.directory().resolve("late.sock")),
                "the socket file goes once the receiver accepted");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNameTheSocketFileWhenNoReceiverListensInTime() {
        final UdsTransport impatient = new UdsTransport(Duration.ofMillis(200));
        final IOException e = assertThrows(IOException.class,
            () -> impatient.openSender(namespace.directory(), "nobody", 64));
        final String file = namespace.directory().resolve("nobody.sock").toString();
        assertTrue(e.getMessage().contains("no receiver accepted a connection on " + file), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 200 ms"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNameTheSocketFileWhenNoSenderConnectsInTime() throws Exception {
        final UdsTransport impatient = new UdsTransport(Duration.ofMillis(200));
        try (MessageReceiver in = impatient.openReceiver(namespace.directory(), "lonely", 64)) {
            final IOException e = assertThrows(IOException.class, () -> in.receive(new byte[64]));
            assertTrue(e.getMessage().contains("no sender connected to "
                + namespace.directory().resolve("lonely.sock")), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDeliverWhatWasSentBeforeTheSenderClosedAndThenReportTheClose() throws Exception {
        try (MessageReceiver in = transport.openReceiver(namespace.directory(), "closing", 64)) {
            try (MessageSender out = transport.openSender(namespace.directory(), "closing", 64)) {
                final byte[] message = new byte[64];
                for (int seq = 0; seq < 3; seq++) {
                    fill(message, 64, seq);
                    out.send(message, 64);
                }
                out.flush();
            }
            final byte[] buffer = new byte[64];
            for (int seq = 0; seq < 3; seq++) {
                assertEquals(64, in.receive(buffer));
                check(buffer, 64, seq);
            }
            final EOFException e = assertThrows(EOFException.class, () -> in.receive(buffer));
            assertTrue(e.getMessage().contains("the sender closed the connection"), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldRefuseAMessageLargerThanItsMaximum() throws Exception {
        try (MessageReceiver ignored = transport.openReceiver(namespace.directory(), "max", 64);
             MessageSender out = transport.openSender(namespace.directory(), "max", 64)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> out.send(new byte[65], 65));
            assertTrue(e.getMessage().contains("length=65 max=64"), e.getMessage());
        }
    }

    /**
     * The echo workloads' pattern, unthrottled: side A sends as fast as it can and polls for echoes
     * between sends, side B echoes every message. Both sockets fill; with blocking writes on both
     * sides that deadlocks, so a sender whose thread also receives reads ahead while it waits.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNotDeadlockWhenBothSidesSendFasterThanTheOtherReads() throws Exception {
        final int messages = 200_000;
        final int size = 32;
        final Path dir = namespace.directory();
        final Future<?> echo = executor.submit(() -> {
            try (MessageReceiver in = transport.openReceiver(dir, "to-b", size);
                 MessageSender out = transport.openSender(dir, "to-a", size)) {
                final byte[] buffer = new byte[size];
                for (int k = 0; k < messages; k++) {
                    out.send(buffer, in.receive(buffer));
                    out.flush();
                }
            }
            return null;
        });
        try (MessageReceiver in = transport.openReceiver(dir, "to-a", size);
             MessageSender out = transport.openSender(dir, "to-b", size)) {
            final byte[] message = new byte[size];
            final byte[] buffer = new byte[size];
            int sent = 0;
            int received = 0;
            while (received < messages) {
                if (sent < messages) {
                    fill(message, size, sent++);
                    out.send(message, size);
                    out.flush();
                }
                if (in.poll(buffer) >= 0) {
                    check(buffer, size, received++);
                }
            }
        }
        echo.get();
    }

    private static int pollUntilThere(final MessageReceiver in, final byte[] buffer) throws Exception {
        while (true) {
            final int length = in.poll(buffer);
            if (length >= 0) {
                return length;
            }
            Thread.onSpinWait();
        }
    }

    /** Message {@code seq} of {@code size} bytes: byte i is (seq * 31 + i) mod 256. */
    private static void fill(final byte[] message, final int size, final int seq) {
        for (int i = 0; i < size; i++) {
            message[i] = (byte) (seq * 31 + i);
        }
    }

    private static void check(final byte[] buffer, final int size, final int seq) {
        for (int i = 0; i < size; i++) {
            if (buffer[i] != (byte) (seq * 31 + i)) {
                throw new AssertionError("message " + seq + " of " + size + " bytes differs at byte " + i + ": got "
                    + buffer[i] + ", expected " + (byte) (seq * 31 + i));
            }
        }
    }
}
