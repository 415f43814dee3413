package dev.mproc.ipc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ToDoubleFunction;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every shared value and array handle does, whatever its element type, checked once per
 * type by that type's test class, which extends this (or {@link SharedArrayContract}) and adds
 * the type's own tests: two handles of one file see each other's writes, a deserialised copy
 * re-attaches to the same file, every handle of one object has the same lock and the object's
 * own operations never take it, close affects that handle only, and toString names the type and
 * the file. Each test runs in a private namespace of its own, in {@link #namespace}.
 *
 * @param <H> the handle type
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class SharedHandleContract<H extends AutoCloseable> {
    /**
     * The calls the contract makes on one type, as method references (or one-line lambdas).
     *
     * @param create makes a new handle with a generated name, its value (or elements) zero
     * @param attach attaches to a file of the type
     * @param file   the handle's file
     * @param lock   the handle's {@code getLock()}
     * @param write  sets the value (for an array, one element) to a small whole number
     * @param read   reads what {@code write} sets
     * @param <H>    the handle type
     */
    record Calls<H>(Function<Namespace, H> create, Function<Path, H> attach, Function<H, Path> file,
                    Function<H, Lock> lock, ObjIntConsumer<H> write, ToDoubleFunction<H> read) {
    }

    /** A private namespace, new for each test and removed (with its files) after it. */
    protected Namespace namespace;

    private final Calls<H> calls;

    SharedHandleContract(final Calls<H> calls) {
        this.calls = calls;
    }

    @BeforeEach
    final void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    final void removeNamespace() {
        namespace.close();
    }

    @Test
    final void shouldSeeWritesThroughAnotherHandleOfTheSameFile() throws Exception {
        try (H created = create();
             H attached = attach(created)) {
            assertEquals(file(created), file(attached));
            assertEquals(0, read(attached));
            write(created, 42);
            assertEquals(42, read(attached));
            write(attached, 50);
            assertEquals(50, read(created));
        }
    }

    @Test
    final void shouldReattachAfterSerialisation() throws Exception {
        try (H handle = create()) {
            write(handle, 3);
            try (H copy = SharedTestSupport.roundTrip(handle)) {
                assertEquals(file(handle), file(copy));
                assertEquals(3, read(copy));
                write(copy, 11);
                assertEquals(11, read(handle));
            }
        }
    }

    @Test
    final void shouldGiveEveryHandleTheSameLock() throws Exception {
        try (H handle = create();
             H attached = attach(handle);
             H deserialised = SharedTestSupport.roundTrip(handle)) {
            final Lock lock = lock(handle);
            assertSame(lock, lock(handle), "one handle maps its lock once");
            assertTrue(Files.exists(Path.of(file(handle) + ".lock")), "lock file beside the object");
            SharedTestSupport.assertSameLock(lock, lock(attached));
            SharedTestSupport.assertSameLock(lock(deserialised), lock);
        }
    }

    @Test
    final void shouldNotTakeTheLockInItsOwnOperations() throws Exception {
        try (H handle = create();
             H attached = attach(handle)) {
            lock(handle).lock();
            try {
                final double seen = SharedTestSupport.inOtherThread(() -> {
                    write(attached, 1);
                    return read(attached);
                });
                assertEquals(1, seen, "written and read while another thread holds the lock");
            } finally {
                lock(handle).unlock();
            }
        }
    }

    @Test
    final void shouldFailOnUseAfterCloseAndCloseIdempotently() throws Exception {
        final H handle = create();
        try (H other = attach(handle)) {
            handle.close();
            handle.close();
            assertThrows(IllegalStateException.class, () -> read(handle));
            assertThrows(IllegalStateException.class, () -> write(handle, 1));
            assertThrows(IllegalStateException.class, () -> lock(handle));
            write(other, 2);
            assertEquals(2, read(other), "closing one handle leaves the others working");
            assertTrue(Files.exists(file(handle)), "closing a handle does not delete the file");
        }
    }

    @Test
    final void shouldNameTheTypeAndTheFileInToString() throws Exception {
        final H handle = create();
        final String open = handle.toString();
        final String prefix = handle.getClass().getSimpleName() + "[" + file(handle) + ", ";
        assertTrue(open.startsWith(prefix) && open.endsWith("]") && !open.contains("closed"), open);
        handle.close();
        final String closed = handle.toString();
        assertTrue(closed.startsWith(prefix) && closed.endsWith(", closed]"), closed);
    }

    final H create() {
        return calls.create().apply(namespace);
    }

    final H attach(final H handle) {
        return calls.attach().apply(file(handle));
    }

    final Path file(final H handle) {
        return calls.file().apply(handle);
    }

    final Lock lock(final H handle) {
        return calls.lock().apply(handle);
    }

    final void write(final H handle, final int value) {
        calls.write().accept(handle, value);
    }

    final double read(final H handle) {
        return calls.read().applyAsDouble(handle);
    }
}
