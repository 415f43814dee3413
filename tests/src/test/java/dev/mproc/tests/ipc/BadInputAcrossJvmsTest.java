package dev.mproc.tests.ipc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.CodecException;
import dev.mproc.core.Namespace;
import dev.mproc.ipc.ChannelClosedException;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refused calls on a queue or pipe shared with another JVM throw their documented exception and
 * leave the channel working: a receiver in a child JVM ({@link ReceiverChild}), already waiting,
 * gets exactly the valid values sent afterwards, in order, and nothing of the refused ones.
 * <ul>
 *   <li>{@code null}: {@link NullPointerException};</li>
 *   <li>a value the codec refuses ({@code new Object()}, not serialisable): {@link CodecException};</li>
 *   <li>a put through a closed queue handle: {@link ChannelClosedException} (other handles go on);</li>
 *   <li>a send on the receive-only end of a one-way pipe (tried in the child), or a receive on
 *   the send-only end: {@link UnsupportedOperationException}.</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class BadInputAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);

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
    void shouldRefuseBadPutsAndKeepTheQueueWorking() throws InterruptedException {
        try (Queue<Object> queue = Queue.create(namespace);
             ChildJvm receiver = ChildJvm.start(ReceiverChild.class, "queue", queue.file().toString())) {
            receiver.awaitLine("READY", STARTUP);

            assertThrows(NullPointerException.class, () -> queue.put(null), "put(null)");
            assertThrows(NullPointerException.class, () -> queue.offer(null), "offer(null)");
            assertThrows(CodecException.class, () -> queue.put(new Object()), "put of a value the codec refuses");
            queue.put("first");

            final Queue<Object> closedHandle = Queue.attach(queue.file());
            closedHandle.close();
            assertTrue(closedHandle.isClosed(), "the closed handle says so");
            assertThrows(ChannelClosedException.class, () -> closedHandle.put("never"), "put on a closed handle");
            assertThrows(ChannelClosedException.class, () -> closedHandle.offer("never"), "offer on a closed handle");
            assertFalse(queue.isClosed(), "closing one handle closed another");
            queue.put("second");
            queue.put(ReceiverChild.END);

            assertEquals(List.of("first", "second", ReceiverChild.END), received(receiver),
                receiver.describe("should get the valid values only, in order"));
            assertEquals(0, receiver.waitFor(PROMPT), receiver.describe("failed"));
            assertEquals(0, queue.size(), "values left in the queue");
        }
    }

    @Test
    void shouldRefuseBadSendsAndKeepThePipeWorking() throws Exception {
        try (Pipe pipe = Pipe.create(namespace, false);
             ChildJvm receiver = ChildJvm.start(ReceiverChild.class, "pipe", pipe.file().toString())) {
            assertEquals(UnsupportedOperationException.class.getName(), receiver.awaitLine("SEND_REFUSED", STARTUP),
                receiver.describe("should be refused a send on the receive-only end"));
            receiver.awaitLine("READY", STARTUP);

            final Connection end = pipe.right();
            assertThrows(NullPointerException.class, () -> end.send(null), "send(null)");
            assertThrows(CodecException.class, () -> end.send(new Object()), "send of a value the codec refuses");
            assertThrows(UnsupportedOperationException.class, end::recv, "recv on the send-only end");
            end.send("first");
            assertThrows(NullPointerException.class, () -> end.send(null), "send(null) between valid ones");
            end.send("second");
            end.send(ReceiverChild.END);

            assertEquals(List.of("first", "second", ReceiverChild.END), received(receiver),
                receiver.describe("should get the valid values only, in order"));
            assertEquals(0, receiver.waitFor(PROMPT), receiver.describe("failed"));
        }
    }

    /** The values the receiver printed, up to and including {@link ReceiverChild#END}. */
    private static List<String> received(final ChildJvm receiver) {
        final List<String> values = new ArrayList<>();
        String value;
        do {
            value = receiver.awaitLine("GOT", PROMPT);
            values.add(value);
        } while (!value.equals(ReceiverChild.END) && values.size() < 10);
        return values;
    }
}
