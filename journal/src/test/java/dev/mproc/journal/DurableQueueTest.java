package dev.mproc.journal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.mproc.core.Codec;
import dev.mproc.core.CodecException;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Namespace;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.sync.Lock;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class DurableQueueTest {
    private static final long DAY_MILLIS = 86_400_000L;

    private Namespace namespace;
    private Path directory;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
        directory = namespace.directory().resolve("journal");
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldHaveEveryCheckableJvmOptionInTheTestJvm() {
        assertEquals(List.of(), JournalJvmOptions.missing());
    }

    @Test
    void shouldReplayAppendedValuesInOrderFromTheStartAndFromAnIndex() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            final List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                indexes.add(queue.append("m" + i));
            }
            try (JournalReader<Object> reader = queue.reader()) {
                for (int i = 0; i < 10; i++) {
                    assertEquals("m" + i, reader.poll());
                    assertEquals(indexes.get(i), reader.lastIndex());
                }
                assertNull(reader.poll());
            }
            try (JournalReader<Object> reader = queue.reader(indexes.get(7))) {
                assertEquals("m7", reader.poll());
                assertEquals("m8", reader.poll());
            }
            final JournalInfo info = queue.info();
            assertEquals(10, info.count(), info.toString());
            assertEquals(indexes.get(0), info.firstIndex());
            assertEquals(indexes.get(9), info.lastIndex());
            assertEquals(1, info.cycleFiles());
            final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> queue.reader(indexes.get(9) + 1000));
            assertTrue(bad.getMessage().contains("no message has index"), bad.getMessage());
        }
    }

    @Test
    void shouldKeepMessagesAcrossHandlesAndReopening() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            queue.append(42);
            queue.append(List.of("a", "b"));
        }
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             JournalReader<Object> reader = queue.reader()) {
            assertEquals(42, reader.poll());
            assertEquals(List.of("a", "b"), reader.poll());
            assertEquals(2, queue.info().count());
        }
    }

    @Test
    void shouldResumeAConsumerAfterItsLastCommit() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            for (int i = 0; i < 6; i++) {
                queue.append(i);
            }
            try (DurableConsumer<Object> consumer = queue.consumer("work")) {
                assertEquals(0, consumer.poll());
                assertEquals(1, consumer.poll());
                consumer.commit();
                assertEquals(2, consumer.poll());
                assertEquals(3, consumer.poll());
                assertEquals(2, consumer.pending());
            }
            try (DurableConsumer<Object> consumer = queue.consumer("work")) {
                assertEquals(2, consumer.poll(), "uncommitted messages of a closed handle come again");
                assertEquals(3, consumer.poll());
                assertEquals(4, consumer.poll());
                consumer.commit();
            }
            try (DurableConsumer<Object> consumer = queue.consumer("work")) {
                assertEquals(5, consumer.poll(), "committed messages never come again");
                assertNull(consumer.poll());
                consumer.commit();
            }
        }
    }

    @Test
    void shouldDeliverEveryMessageToEachConsumerName() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> first = queue.consumer("first");
             DurableConsumer<Object> second = queue.consumer("second")) {
            for (int i = 0; i < 100; i++) {
                queue.append(i);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(i, first.poll());
                assertEquals(i, second.poll());
            }
            assertNull(first.poll());
            assertNull(second.poll());
        }
    }

    @Test
    void shouldShareTheMessagesOfOneNameBetweenHandlesEachOnce() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> one = queue.consumer("shared");
             DurableConsumer<Object> two = queue.consumer("shared")) {
            for (int i = 0; i < 100; i++) {
                queue.append(i);
            }
            final Set<Object> seen = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                assertTrue(seen.add(one.poll()));
                assertTrue(seen.add(two.poll()));
                one.commit();
                two.commit();
            }
            assertNull(one.poll());
            assertNull(two.poll());
            assertEquals(100, seen.size());
        }
    }

    @Test
    void shouldRedeliverAClosedHandlesClaimsToAnotherHandleOfTheName() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> survivor = queue.consumer("shared")) {
            for (int i = 0; i < 4; i++) {
                queue.append(i);
            }
            try (DurableConsumer<Object> leaving = queue.consumer("shared")) {
                assertEquals(0, leaving.poll());
                assertEquals(1, leaving.poll());
            }
            assertEquals(0, survivor.poll());
            assertEquals(1, survivor.poll());
            assertEquals(2, survivor.poll());
            survivor.commit();
            assertEquals(3, survivor.poll());
            survivor.commit();
            assertNull(survivor.poll());
        }
    }

    @Test
    void shouldWaitForAMessageWithATimeout() throws InterruptedException {
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = queue.consumer("c");
             JournalReader<Object> reader = queue.reader()) {
            assertNull(consumer.poll(20, TimeUnit.MILLISECONDS));
            assertNull(reader.poll(20, TimeUnit.MILLISECONDS));
            final Thread appender = Thread.ofPlatform().start(() -> queue.append("late"));
            assertEquals("late", consumer.take());
            assertEquals("late", reader.take());
            appender.join();
        }
    }

    /**
     * A strategy that sleeps at once and for an hour a slice: a sleeper that is not woken by the
     * append it waits for would sleep past the test's timeout, so these tests fail if an append
     * (or a closing handle) does not signal the wake word.
     */
    private static WaitStrategy sleepsAnHourUnlessWoken() {
        return WaitStrategies.spinThenSleep(0, 0, 0, TimeUnit.HOURS.toNanos(1));
    }

    /** Returns once {@code count} waiters are asleep on the journal's wake word (announced, at least). */
    private static void awaitSleepers(final DurableQueue<?> queue, final int count) {
        while (queue.wakeWord().sleepers() < count) {
            Thread.onSpinWait();
        }
    }

    @Test
    void shouldWakeSleepingReadersAndConsumersWhenAnotherHandleAppends() throws Exception {
        try (DurableQueue<Object> sleeping = DurableQueue.builder(directory).waitStrategy(sleepsAnHourUnlessWoken()).open();
             DurableQueue<Object> appending = DurableQueue.open(directory);
             DurableConsumer<Object> consumer = sleeping.consumer("c");
             JournalReader<Object> reader = sleeping.reader()) {
            final ExecutorService waiters = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory());
            try {
                final Future<Object> taken = waiters.submit(consumer::take);
                final Future<Object> read = waiters.submit(() -> reader.poll(2, TimeUnit.HOURS));
                awaitSleepers(sleeping, 2);
                appending.append("wake up");
                assertEquals("wake up", taken.get(20, TimeUnit.SECONDS));
                assertEquals("wake up", read.get(20, TimeUnit.SECONDS));
            } finally {
                waiters.shutdownNow();
            }
        }
    }

    @Test
    void shouldWakeASleepingHandleOfTheNameWhenAnotherReturnsItsClaims() throws Exception {
        try (DurableQueue<Object> queue = DurableQueue.builder(directory).waitStrategy(sleepsAnHourUnlessWoken()).open();
             DurableConsumer<Object> survivor = queue.consumer("shared")) {
            queue.append("claimed, then returned");
            final DurableConsumer<Object> leaving = queue.consumer("shared");
            assertEquals("claimed, then returned", leaving.poll());
            final AtomicReference<Object> taken = new AtomicReference<>();
            final Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    taken.set(survivor.take());
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            awaitSleepers(queue, 1);
            leaving.close();
            waiter.join(TimeUnit.SECONDS.toMillis(20));
            assertTrue(!waiter.isAlive(), "the waiting handle was not woken when the claim came back");
            assertEquals("claimed, then returned", taken.get());
            survivor.commit();
            assertNull(survivor.poll());
        }
    }

    @Test
    void shouldGiveAJournalWithoutAWakeFileOneAndRefuseADamagedOne() throws IOException {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            queue.append("kept");
        }
        final Path wake = directory.resolve(JournalWakeLayout.FILE_NAME);
        assertTrue(Files.exists(wake), "no wake file in " + directory);
        Files.delete(wake); // as a journal written before the wake file existed
        try (DurableQueue<Object> queue = DurableQueue.open(directory);
             JournalReader<Object> reader = queue.reader()) {
            assertEquals("kept", reader.poll());
        }
        assertTrue(Files.exists(wake), "the wake file was not recreated");
        Files.write(wake, new byte[64]);
        final JournalFormatException e = assertThrows(JournalFormatException.class, () -> DurableQueue.open(directory));
        assertTrue(e.getMessage().contains(JournalWakeLayout.FILE_NAME) && e.getMessage().contains(directory.toString()),
            e.getMessage());
    }

    @Test
    void shouldRefuseConsumerNamesWithPathCharacters() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            for (final String name : List.of("", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a b", "x".repeat(65))) {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.consumer(name));
                assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
            }
            queue.consumer("ok-name_1.x").close();
        }
    }

    @Test
    void shouldRefuseAValueTheCodecRefusesAndAppendNothing() {
        try (DurableQueue<String> queue = DurableQueue.open(directory, new PickyCodec())) {
            queue.append("fine");
            final CodecException e = assertThrows(CodecException.class, () -> queue.append("bad"));
            assertTrue(e.getMessage().contains("bad"), e.getMessage());
            queue.append("");
            try (JournalReader<String> reader = queue.reader()) {
                assertEquals("fine", reader.poll());
                assertEquals("", reader.poll(), "an empty encoding is a message too");
                assertNull(reader.poll());
            }
        }
    }

    @Test
    void shouldRefuseADirectoryThatIsNotAJournal() throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("notes.txt"), "hello");
        final JournalFormatException e = assertThrows(JournalFormatException.class, () -> DurableQueue.open(directory));
        assertTrue(e.getMessage().contains(directory.toString()) && e.getMessage().contains("notes.txt"), e.getMessage());
    }

    @Test
    void shouldRefuseANamespaceOfOtherObjects() {
        Lock.create(namespace, "lock").close();
        final JournalFormatException e = assertThrows(JournalFormatException.class,
            () -> DurableQueue.open(namespace.directory()));
        assertTrue(e.getMessage().contains("no mproc-journal marker"), e.getMessage());
    }

    @Test
    void shouldRefuseAMarkerOfAnotherKind() throws IOException {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            queue.append(1);
        }
        final Path marker = directory.resolve(JournalMarkerLayout.FILE_NAME);
        Files.delete(marker);
        try (Namespace other = Namespace.attach(directory)) {
            Lock.create(other, JournalMarkerLayout.FILE_NAME).close();
        }
        final JournalFormatException e = assertThrows(JournalFormatException.class, () -> DurableQueue.open(directory));
        assertTrue(e.getMessage().contains("marker"), e.getMessage());
    }

    @Test
    void shouldRefuseAGarbageCycleFile() throws IOException {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            queue.append(1);
        }
        final Path cycle = ChronicleLog.cycleFiles(directory).getFirst();
        Files.write(cycle, new byte[4096]);
        final JournalFormatException e = assertThrows(JournalFormatException.class, () -> DurableQueue.open(directory));
        assertTrue(e.getMessage().contains(cycle.toString()) && e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void shouldRefuseAnotherCodec() {
        try (DurableQueue<Object> queue = DurableQueue.open(directory)) {
            queue.append(1);
        }
        final JournalFormatException e = assertThrows(JournalFormatException.class,
            () -> DurableQueue.open(directory, new PickyCodec()));
        assertTrue(e.getMessage().contains(PickyCodec.class.getName()) && e.getMessage().contains("DefaultCodec"), e.getMessage());
    }

    @Test
    void shouldDropWholeCyclesOlderThanTheLimit() {
        final SetTimeProvider clock = new SetTimeProvider(10 * DAY_MILLIS + 1000);
        try (DurableQueue<Object> queue = DurableQueue.builder(directory).timeProvider(clock).open();
             DurableConsumer<Object> late = queue.consumer("late")) {
            queue.append("day10");
            clock.currentTimeMillis(11 * DAY_MILLIS + 1000);
            queue.append("day11");
            clock.currentTimeMillis(13 * DAY_MILLIS + 1000);
            queue.append("day13");
            assertEquals(3, queue.info().cycleFiles());
            assertEquals(3, queue.info().count());
            // Day 10 ended 2 days + 1 s ago, day 11 ended 1 day + 1 s ago, day 13 is current.
            assertEquals(1, queue.dropCyclesOlderThan(java.time.Duration.ofHours(36)));
            assertEquals(2, queue.info().count());
            assertEquals(1, queue.dropCyclesOlderThan(java.time.Duration.ZERO));
            assertEquals(1, queue.info().count());
            assertEquals("day13", late.poll(), "a consumer continues from the first message still stored");
            try (JournalReader<Object> reader = queue.reader()) {
                assertEquals("day13", reader.poll());
            }
        }
    }

    @Test
    void shouldAppendWithSyncAndForce() {
        try (DurableQueue<Object> queue = DurableQueue.builder(directory).syncOnAppend(true).open()) {
            queue.append("synced");
            queue.force();
            assertEquals(1, queue.info().count());
        }
    }

    /** Strings as UTF-8, refusing "bad". */
    static final class PickyCodec implements Codec<String> {
        @Override
        public void encode(final String value, final EncodingBuffer out) {
            if (value.equals("bad")) {
                throw new CodecException("refusing the value \"bad\"");
            }
            for (final byte b : value.getBytes(StandardCharsets.UTF_8)) {
                out.putByte(b);
            }
        }

        @Override
        public String decode(final MemorySegment in) {
            return new String(in.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }
}
