package dev.mproc.benchmarks.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.core.Namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the Java peers' channel ends meet: the shared ring file and the bounded wait. */
class RendezvousTest {
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
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldGiveEveryRacerTheSameZeroedFileAndLeaveNoTemporaryFile() throws Exception {
        final int racers = 6;
        final long bytes = (1 << 20) + 768;
        final ExecutorService executor = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 20; round++) {
                final Path file = namespace.directory().resolve("ring-" + round + ".agrona");
                final CountDownLatch go = new CountDownLatch(1);
                final List<Future<Object>> keys = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    keys.add(executor.submit(() -> {
                        go.await();
                        final Path shared = Rendezvous.sharedZeroedFile(file, bytes);
                        // What each racer would map: the file that holds the name when it returns.
                        return Files.readAttributes(shared, BasicFileAttributes.class).fileKey();
                    }));
                }
                go.countDown();
                final Set<Object> distinct = new HashSet<>();
                for (final Future<Object> key : keys) {
                    distinct.add(key.get());
                }
                assertEquals(1, distinct.size(), "round " + round + ": every racer must use one file: " + distinct);
                assertEquals(bytes, Files.size(file));
                assertAllZero(file);
            }
        } finally {
            executor.shutdownNow();
        }
        try (Stream<Path> left = Files.list(namespace.directory())) {
            final List<String> temporaries = left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                .toList();
            assertEquals(List.of(), temporaries);
        }
    }

    @Test
    void shouldRefuseAnExistingFileOfAnotherLength() throws IOException {
        final Path file = namespace.directory().resolve("small.agrona");
        Rendezvous.sharedZeroedFile(file, 4096);
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Rendezvous.sharedZeroedFile(file, 8192));
        assertTrue(e.getMessage().contains("length=4096 expected=8192"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldSayWhatItAwaitedWhenTheTimeoutPasses() {
        final IOException e = assertThrows(IOException.class,
            () -> Rendezvous.await(Duration.ofMillis(50), () -> "the other side of /x/y.sock", () -> null));
        assertEquals("gave up after 50 ms: the other side of /x/y.sock", e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldReturnTheFirstResultTheAttemptGives() throws IOException {
        final int[] tries = {0};
        final String result = Rendezvous.await(Duration.ofSeconds(5), () -> "a result",
            () -> ++tries[0] == 3 ? "there" : null);
        assertEquals("there", result);
        assertEquals(3, tries[0]);
    }

    private static void assertAllZero(final Path file) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (true) {
                buffer.clear();
                final int n = channel.read(buffer, position);
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer.get(i) != 0) {
                        throw new AssertionError(file + ": byte " + (position + i) + " is " + buffer.get(i));
                    }
                }
                position += n;
            }
        }
    }
}
