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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
/**
 * Regression: the first put after a producer died half-way through a fragmented message must
 * first write an ABORT record; with a nearly full ring that record can push the new one past the
 * end of the ring (it then needs padding), and the put must wait for room rather than fail (it
 * used to throw "room vanished under the producer mutex"). The
 * 16,208-byte value is sized so that its record fits at the tail before the ABORT and not after.
 */
final class QueueAbortThenWrapAcrossJvmsTest {
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
    @ValueSource(ints = {16_000, 16_208})
    void shouldWaitForRoomWhenTheAbortRecordPushesThePutPastTheRingEnd(final int bytes) throws InterruptedException {
        try (Queue<Object> queue = Queue.builder().capacity(64 * 1024).create(namespace);
             ChildJvm dying = ChildJvm.start(QueueProducerChild.class, "stall", queue.file().toString(), "10", Integer.toString(4 << 20));
             ChildJvm next = ChildJvm.start(QueueProducerChild.class, "putbytes", queue.file().toString(), Integer.toString(bytes))) {
            dying.awaitLine("HUGE_PUT_STARTED", Duration.ofSeconds(20));
            if (!MappedFileSleepProbe.awaitAsleepOn(dying.pid(), queue.file(), Duration.ofSeconds(10))) {
                fail("the dying producer never stalled mid-message");
            }
            next.awaitLine("READY", Duration.ofSeconds(20));
            dying.kill();
            dying.waitFor(Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                assertEquals("m" + i, queue.poll(10, TimeUnit.SECONDS));
            }
            // The put may have to wait for room: taking drops the dead message's fragments, and
            // the value is the next thing delivered.
            next.send("PUT");
            final Object value = queue.poll(10, TimeUnit.SECONDS);
            assertEquals(bytes, ((byte[]) value).length);
            next.awaitLine("PUT_DONE", Duration.ofSeconds(10));
            assertEquals(null, queue.poll());
        }
    }
}
