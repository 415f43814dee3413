package dev.mproc.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.RegionKind;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the Semaphore, BoundedSemaphore, Event and Barrier tests share: threads that are always
 * stopped after the test, a serialisation round trip of a handle, and a way to wait until a
 * thread is really blocked.
 * <p>
 * Why a sleeper probe: a thread asleep in futex(2) is RUNNABLE to the JVM, so
 * {@link Thread#getState()} cannot tell a blocked waiter from a running one. The sleeper count in
 * the shared region can: a waiter raises it just before it sleeps. The probe maps the file once
 * more, as another process would, and polls that count.
 */
final class SyncTestSupport implements AutoCloseable {
    /** Generous: the states awaited normally arrive within a millisecond, but CI machines stall. */
    static final Duration LIMIT = Duration.ofSeconds(20);

    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();

    /** A started thread running a task whose result or exception can be collected. */
    record Worker<T>(Thread thread, FutureTask<T> task) {
        T get() throws Exception {
            try {
                return task.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            } catch (final TimeoutException e) {
                fail("worker " + thread.getName() + " did not finish within " + LIMIT.toMillis() + " ms");
                throw e;
            }
        }

        /** @return the exception the task ended with, asserting that it is of that type */
        <X extends Throwable> X failure(final Class<X> type) throws Exception {
            try {
                final T result = get();
                fail("worker " + thread.getName() + " returned " + result + " instead of throwing "
                    + type.getSimpleName());
                throw new AssertionError();
            } catch (final Exception e) {
                return assertInstanceOf(type, e, () -> "worker " + thread.getName() + " threw " + e);
            }
        }

        boolean isDone() {
            return task.isDone();
        }
    }

    <T> Worker<T> start(final String name, final Callable<T> body) {
        final FutureTask<T> task = new FutureTask<>(body);
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return new Worker<>(thread, task);
    }

    <T extends AutoCloseable> T track(final T handle) {
        handles.add(handle);
        return handle;
    }

    /** A copy of the handle through Java serialisation, as a task captured in another JVM gets. */
    @SuppressWarnings("unchecked")
    <T extends AutoCloseable> T roundTrip(final T handle) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return track((T) in.readObject());
        }
    }

    /** Waits until at least {@code count} threads announced themselves as sleepers in {@code file}. */
    void awaitSleepers(final Path file, final RegionKind kind, final int layoutVersion, final long sleepersOffset,
                       final int count) {
        try (MappedRegion probe = MappedRegion.attach(file, kind, layoutVersion)) {
            until(() -> probe.getIntVolatile(sleepersOffset) >= count,
                () -> "sleepers in " + file + ": " + probe.getIntVolatile(sleepersOffset) + ", wanted " + count);
        }
    }

    static void until(final BooleanSupplier condition, final Supplier<String> what) {
        final long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                fail("not observed within " + LIMIT.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /** Stops every thread still running (a failed test may leave a waiter behind), then unmaps. */
    @Override
    public void close() throws Exception {
        try {
            for (final Thread thread : threads) {
                thread.interrupt();
            }
            for (final Thread thread : threads) {
                thread.join(LIMIT.toMillis());
                assertFalse(thread.isAlive(), "thread still running after the test: " + thread.getName());
            }
        } finally {
            for (final AutoCloseable handle : handles) {
                handle.close();
            }
        }
    }
}
