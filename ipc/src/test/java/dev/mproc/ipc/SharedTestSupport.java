package dev.mproc.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import dev.mproc.sync.Lock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the shared value, array and memory tests share: a serialisation round trip of a handle
 * (as a task captured in another JVM gets it), a body run in another thread with a bounded wait
 * for its result, a start-together run of several threads, and the exact-count run of four
 * threads incrementing through two handles. (The checks every value and array handle must pass
 * are in {@link SharedHandleContract} and {@link SharedArrayContract}.)
 */
final class SharedTestSupport {
    /** Generous bound for anything a test waits for; normally done in milliseconds. */
    static final long LIMIT_SECONDS = 30;

    private SharedTestSupport() {
    }

    /** A copy of the handle through Java serialisation; the copy re-attaches in readResolve. */
    @SuppressWarnings("unchecked")
    static <T> T roundTrip(final T handle) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            final T copy = (T) in.readObject();
            assertNotSame(handle, copy);
            return copy;
        }
    }

    /** Runs {@code body} in a new thread and returns its result, failing after the limit. */
    static <T> T inOtherThread(final Callable<T> body) throws Exception {
        final FutureTask<T> task = new FutureTask<>(body);
        final Thread thread = new Thread(task, "shared-test-other");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
        }
    }

    /**
     * Asserts that two locks obtained from two handles of one object are the same lock: while
     * this thread holds {@code first}, another thread cannot take {@code second}; once released,
     * it can.
     */
    static void assertSameLock(final Lock first, final Lock second) throws Exception {
        first.lock();
        try {
            final boolean takenWhileHeld = inOtherThread(second::tryLock);
            assertFalse(takenWhileHeld, "second handle's lock was free while the first was held");
        } finally {
            first.unlock();
        }
        final boolean takenAfterRelease = inOtherThread(() -> {
            final boolean taken = second.tryLock();
            if (taken) {
                second.unlock();
            }
            return taken;
        });
        assertTrue(takenAfterRelease, "second handle's lock was not free after the first was released");
    }

    /**
     * Runs {@code increment} in four threads at once, two on each handle, 100 000 times in each
     * thread, and returns how many increments were made in all: the count the caller then reads
     * through both handles, exact if no update was lost.
     */
    static <H> long incrementThroughTwoHandles(final H first, final H second, final Consumer<H> increment)
        throws Exception {
        final int threads = 4;
        final int perThread = 100_000;
        runTogether(threads, t -> {
            final H mine = t % 2 == 0 ? first : second;
            for (int i = 0; i < perThread; i++) {
                increment.accept(mine);
            }
        });
        return (long) threads * perThread;
    }

    /**
     * Runs {@code body(t)} in {@code threads} threads at once (t = 0 .. threads-1) and waits for
     * all; rethrows the first failure.
     */
    static void runTogether(final int threads, final IntConsumer body) throws Exception {
        final CountDownLatch start = new CountDownLatch(1);
        final List<FutureTask<Void>> tasks = new ArrayList<>();
        final List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int index = t;
            final FutureTask<Void> task = new FutureTask<>(() -> {
                start.await();
                body.accept(index);
                return null;
            });
            final Thread thread = new Thread(task, "shared-test-" + t);
            thread.setDaemon(true);
            tasks.add(task);
            started.add(thread);
            thread.start();
        }
        start.countDown();
        try {
            for (final FutureTask<Void> task : tasks) {
                try {
                    task.get(LIMIT_SECONDS, TimeUnit.SECONDS);
                } catch (final ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        } finally {
            for (final Thread thread : started) {
                thread.interrupt();
            }
        }
    }
}
