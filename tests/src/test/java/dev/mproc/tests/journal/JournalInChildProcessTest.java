package dev.mproc.tests.journal;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.Mproc;
import dev.mproc.journal.DurableQueue;
import dev.mproc.journal.JournalJvmOptions;
import dev.mproc.journal.JournalReader;
import dev.mproc.process.Process;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A JVM started without Chronicle's options (this test's own) starts {@link Process}es that use a
 * {@link DurableQueue}: each child gets the journal's options because the module is on the class
 * path, so one child appends and the next reads the message back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class JournalInChildProcessTest {
    @TempDir
    Path temp;

    @Test
    void shouldGiveChildrenTheJournalsOptionsTheParentLacks() throws Exception {
        assertFalse(JournalJvmOptions.missing().isEmpty(), "this test needs a parent JVM without Chronicle's options");
        final String directory = temp.resolve("journal").toString();
        try (Mproc mp = Mproc.create()) {
            final Process appender = mp.process(() -> {
                try (DurableQueue<Object> queue = DurableQueue.open(Path.of(directory))) {
                    queue.append("from a child");
                }
            });
            appender.start();
            appender.join(60, TimeUnit.SECONDS);
            assertNull(appender.failure(), "the appending child failed");
            assertEquals(Integer.valueOf(0), appender.exitCode());

            final Process reader = mp.process(() -> {
                try (DurableQueue<Object> queue = DurableQueue.open(Path.of(directory));
                     JournalReader<Object> messages = queue.reader()) {
                    final Object first = messages.poll(10, TimeUnit.SECONDS);
                    if (!"from a child".equals(first)) {
                        throw new IllegalStateException("read back " + first);
                    }
                } catch (final InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.start();
            reader.join(60, TimeUnit.SECONDS);
            assertNull(reader.failure(), "the reading child failed");
            assertEquals(Integer.valueOf(0), reader.exitCode());
        }
    }
}
