package dev.mproc.ipc;

import dev.mproc.core.CodecException;
import dev.mproc.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueTest {
    /** A platform thread per task: the common pool may have a single worker on a 2-CPU machine. */
    private static final java.util.concurrent.Executor THREADS = task -> new Thread(task).start();

    private Namespace namespace;

    @BeforeEach
    void setUp() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void tearDown() {
        namespace.close();
    }

    @Test
    void shouldTakeValuesInTheOrderTheyWerePut() throws Exception {
        final Queue<Object> queue = Queue.create(namespace);
        queue.put("a");
        queue.put(2);
        assertTrue(queue.offer(List.of(3)));
        assertEquals(3, queue.size());
        assertEquals("a", queue.take());
        assertEquals(2, queue.poll());
        assertEquals(List.of(3), queue.poll(1, TimeUnit.SECONDS));
        assertNull(queue.poll());
        assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
        assertTrue(queue.isEmpty());
    }

    /**
     * Regression: a handle attached while another was putting wrote back a stale tail from its
     * constructor, and the next put overwrote a committed record (a value lost, or a consumer
     * reading from the middle of a record: "corrupt ring record"). A pool's workers attach to its
     * result queue while the others are already putting.
     */
    @Test
    @Timeout(60)
    void shouldLoseNothingWhileOtherHandlesAttach() throws Exception {
        final Queue<Integer> queue = Queue.create(namespace);
        final int count = 200_000;
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    queue.put(i);
                }
            } catch (final InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, THREADS);
        final CompletableFuture<Integer> attacher = CompletableFuture.supplyAsync(() -> {
            int attached = 0;
            while (!done.get()) {
                try (Queue<Integer> other = Queue.attach(queue.file())) {
                    attached++;
                }
            }
            return attached;
        }, THREADS);
        try {
            for (int i = 0; i < count; i++) {
                assertEquals(i, queue.poll(10, TimeUnit.SECONDS), "value " + i);
            }
        } finally {
            done.set(true);
        }
        producer.get(10, TimeUnit.SECONDS);
        assertTrue(attacher.get(10, TimeUnit.SECONDS) > 0, "the attacher never attached");
    }

    @Test
    void shouldHoldAtMostMaxSizeItems() throws Exception {
        final Queue<Integer> queue = Queue.create(namespace, 2);
        assertTrue(queue.offer(1));
        assertTrue(queue.offer(2));
        assertFalse(queue.offer(3));
        assertFalse(queue.offer(3, 20, TimeUnit.MILLISECONDS));
        final CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                queue.put(3);
            } catch (final InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, THREADS);
        assertEquals(1, queue.take());
        blocked.get(10, TimeUnit.SECONDS);
        assertEquals(2, queue.size());
        assertEquals(2, queue.take());
        assertEquals(3, queue.take());
    }

    @Test
    void shouldMoveValuesLargerThanTheRing() throws Exception {
        final Queue<byte[]> queue = Queue.<byte[]>builder().capacity(4096).create(namespace);
        final byte[] big = new byte[300_001];
        new Random(7).nextBytes(big);
        final CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    queue.put(big);
                }
            } catch (final InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, THREADS);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(big, queue.take());
        }
        producer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldDeliverEveryValueExactlyOnceToManyConsumers() throws Exception {
        final Queue<Long> queue = Queue.<Long>builder().capacity(2048).create(namespace);
        final int producers = 3;
        final int consumers = 3;
        final int perProducer = 30_000;
        final ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        final List<CompletableFuture<Void>> tasks = new ArrayList<>();
        final AtomicReference<String> orderError = new AtomicReference<>();
        for (int p = 0; p < producers; p++) {
            final long id = p;
            final Queue<Long> handle = Queue.attach(queue.file());
            tasks.add(CompletableFuture.runAsync(() -> {
                try {
                    for (long i = 0; i < perProducer; i++) {
                        handle.put(id << 32 | i);
                    }
                } catch (final InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, THREADS));
        }
        final CountDownLatch done = new CountDownLatch(producers * perProducer);
        for (int c = 0; c < consumers; c++) {
            final Queue<Long> handle = Queue.attach(queue.file());
            tasks.add(CompletableFuture.runAsync(() -> {
                final long[] last = new long[producers];
                Arrays.fill(last, -1);
                try {
                    while (done.getCount() > 0) {
                        final Long value = handle.poll(20, TimeUnit.MILLISECONDS);
                        if (value == null) {
                            continue;
                        }
                        final int producer = (int) (value >>> 32);
                        final long index = value & 0xFFFF_FFFFL;
                        if (index <= last[producer]) {
                            orderError.set("producer " + producer + " out of order: " + index + " after " + last[producer]);
                        }
                        last[producer] = index;
                        if (seen.put(value, Boolean.TRUE) != null) {
                            orderError.set("duplicate " + value);
                        }
                        done.countDown();
                    }
                } catch (final InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }, THREADS));
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
        assertNull(orderError.get());
        assertEquals(producers * perProducer, seen.size());
        assertEquals(0, queue.size());
    }

    @Test
    void shouldRefuseNullAndUnencodableValuesAndStayUsable() throws Exception {
        final Queue<Object> queue = Queue.create(namespace);
        assertThrows(NullPointerException.class, () -> queue.put(null));
        assertThrows(CodecException.class, () -> queue.put(new Object()));
        queue.put("fine");
        assertEquals(1, queue.size());
        assertEquals("fine", queue.take());
    }

    @Test
    void shouldCloseOnlyThisHandleAndReleaseItsBlockedTaker() throws Exception {
        final Queue<String> queue = Queue.create(namespace);
        final Queue<String> other = Queue.attach(queue.file());
        queue.put("kept");
        final Queue<String> blockedHandle = Queue.attach(queue.file());
        final CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    blockedHandle.take();
                }
            } catch (final Exception e) {
                return e;
            }
        }, THREADS);
        // The blocked handle may take "kept" first; put another so one remains for `other`.
        queue.put("kept too");
        blockedHandle.close();
        assertInstanceOf(ChannelClosedException.class, blocked.get(10, TimeUnit.SECONDS));
        queue.close();
        assertThrows(ChannelClosedException.class, () -> queue.put("x"));
        assertThrows(ChannelClosedException.class, queue::poll);
        assertTrue(other.size() <= 2);
        other.put("after");
        String last = null;
        for (String s = other.poll(); s != null; s = other.poll()) {
            last = s;
        }
        assertEquals("after", last);
    }

    @Test
    void shouldJoinWhenEveryTaskIsDone() throws Exception {
        final JoinableQueue<Integer> queue = JoinableQueue.create(namespace);
        queue.put(1);
        queue.put(2);
        assertEquals(2, queue.unfinishedTasks());
        assertFalse(queue.join(10, TimeUnit.MILLISECONDS));
        queue.take();
        queue.taskDone();
        assertFalse(queue.join(10, TimeUnit.MILLISECONDS));
        queue.take();
        final CompletableFuture<Void> joiner = CompletableFuture.runAsync(() -> {
            try {
                queue.join();
            } catch (final InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, THREADS);
        queue.taskDone();
        joiner.get(10, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, queue::taskDone);
        assertInstanceOf(JoinableQueue.class, Queue.attach(queue.file()));
    }

    @Test
    void shouldWorkAsASimpleQueue() throws Exception {
        final SimpleQueue<String> queue = SimpleQueue.create(namespace);
        assertTrue(queue.isEmpty());
        queue.put("x");
        assertFalse(queue.isEmpty());
        assertEquals("x", queue.take());
        queue.close();
        assertThrows(ChannelClosedException.class, () -> queue.put("y"));
    }

    @Test
    void shouldSerialiseAHandleThatReachesTheSameQueue() throws Exception {
        final Queue<String> queue = Queue.create(namespace, 5);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(queue);
        }
        @SuppressWarnings("unchecked")
        final Queue<String> copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Queue<String>) in.readObject();
        }
        copy.put("through the copy");
        assertEquals("through the copy", queue.take());
        assertEquals(5, copy.maxSize());
    }

    @Test
    void shouldRejectABadMaxSize() {
        assertThrows(IllegalArgumentException.class, () -> Queue.create(namespace, 0));
    }
}
