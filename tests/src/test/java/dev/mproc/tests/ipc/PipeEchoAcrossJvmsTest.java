package dev.mproc.tests.ipc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mproc.core.Namespace;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A duplex pipe between two JVMs carrying {@value #MESSAGES} messages each way: this JVM sends
 * ints and strings (every {@value #LARGE_EVERY}th a string larger than a ring record, so that it
 * travels in fragments both ways), a child ({@link EchoChild}) sends each one back, and every
 * echo must come back in order and equal to what was sent. Sending and receiving run at the same
 * time, on two threads here: the rings hold far fewer than {@value #MESSAGES} messages, so a
 * sender that first sent everything would wait for room forever while the echoes fill the other
 * ring.
 * <p>
 * Closing the left end at the end must reach the child as end-of-file after the last echo.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class PipeEchoAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    private static final int MESSAGES = 100_000;
    private static final int LARGE_EVERY = 10_000;
    /** Characters of a large string: above the default ring's 64 KiB record limit. */
    private static final int LARGE_LENGTH = 100_000;

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
    void shouldEchoEveryMessageInOrderThroughADuplexPipe() throws Exception {
        try (Pipe pipe = Pipe.create(namespace);
             ChildJvm child = ChildJvm.start(EchoChild.class, pipe.file().toString())) {
            child.awaitLine("READY", STARTUP);
            final Connection end = pipe.left();
            final CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    end.send(valueFor(i));
                }
            }, runnable -> Thread.ofPlatform().name("echo-sender").start(runnable));

            for (int i = 0; i < MESSAGES; i++) {
                if (!end.poll(PROMPT.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail(child.describe("sent no echo of message " + i + " within " + PROMPT.toMillis() + " ms; sender "
                        + (sender.isDone() ? "finished: " + outcomeOf(sender) : "still sending")));
                }
                final Object echo = end.recv();
                final Object sent = valueFor(i);
                if (!sent.equals(echo)) {
                    fail("echo " + i + " differs: sent " + describe(sent) + ", got back " + describe(echo));
                }
            }
            sender.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(end.poll(), "more echoes than messages sent");

            end.close();
            assertEquals(Integer.toString(MESSAGES), child.awaitLine("ECHOED", PROMPT),
                child.describe("should see end-of-file after the last message"));
            assertEquals(0, child.waitFor(PROMPT), child.describe("failed"));
        }
    }

    /** Message {@code i}: an int, a short string, and now and then a large (fragmented) string. */
    private static Object valueFor(final int i) {
        if (i % LARGE_EVERY == LARGE_EVERY - 1) {
            return Integer.toString(i) + "-".repeat(LARGE_LENGTH);
        }
        return i % 2 == 0 ? (Object) i : "message " + i;
    }

    private static String describe(final Object value) {
        if (value == null) {
            return "null";
        }
        final String text = value.toString();
        return value.getClass().getSimpleName() + " " + (text.length() > 40 ? text.substring(0, 40) + "... (" + text.length()
            + " chars)" : text);
    }

    private static String outcomeOf(final CompletableFuture<Void> sender) {
        try {
            sender.get(0, TimeUnit.MILLISECONDS);
            return "ok";
        } catch (final ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (final InterruptedException | TimeoutException e) {
            return String.valueOf(e);
        }
    }
}
