package dev.mproc;

import dev.mproc.core.Namespace;
import dev.mproc.core.SerializableRunnable;
import dev.mproc.ipc.JoinableQueue;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedByteArray;
import dev.mproc.ipc.SharedDouble;
import dev.mproc.ipc.SharedDoubleArray;
import dev.mproc.ipc.SharedInt;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.ipc.SharedLong;
import dev.mproc.ipc.SharedLongArray;
import dev.mproc.ipc.SharedMemory;
import dev.mproc.ipc.SimpleQueue;
import dev.mproc.process.Pool;
import dev.mproc.process.Process;
import dev.mproc.sync.Barrier;
import dev.mproc.sync.BoundedSemaphore;
import dev.mproc.sync.Condition;
import dev.mproc.sync.Event;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.sync.Semaphore;
import dev.mproc.sync.Synchronizers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The entry point: a namespace of shared objects, and the factory for every one of them and for
 * the processes and pools that use them. Python's {@code multiprocessing} module, as an object.
 *
 * <pre>{@code
 * try (Mproc mp = Mproc.create()) {                 // private namespace, removed on close
 *     SharedIntArray results = mp.intArray(5);      // Array('i', 5)
 *     Queue<String> q = mp.queue();                 // Queue()
 *     Lock lock = mp.lock();                        // Lock()
 *     Process p = mp.process(() -> { lock.lock(); try { q.put("hi"); } finally { lock.unlock(); } });
 *     p.start(); p.join();
 *     try (Pool pool = mp.pool(4)) {                // Pool(4)
 *         List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 *     }
 * }
 * }</pre>
 *
 * <p>Every object made here is a file in {@link #directory()} and a small serialisable handle: a
 * task that captures it and runs in a child process attaches to the same file. The forms whose
 * first parameter is a name create the object, or attach to the one of that name and kind, so
 * that unrelated processes opening the same named namespace find each other's objects.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Mproc implements AutoCloseable {

    private static final Object CURRENT_LOCK = new Object();
    private static volatile Mproc current;

    private final Namespace namespace;
    private final Synchronizers sync;

    private Mproc(final Namespace namespace) {
        this.namespace = namespace;
        this.sync = Synchronizers.in(namespace);
    }

    /**
     * @return a new private namespace; closing it (or this JVM exiting) removes its files
     */
    public static Mproc create() {
        return new Mproc(Namespace.createPrivate());
    }

    /**
     * Creates or joins a named namespace shared by unrelated processes of this user; it lasts until
     * {@link #unlink()}.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit
     * @return the namespace
     */
    public static Mproc open(final String name) {
        return new Mproc(Namespace.open(name));
    }

    /**
     * Joins an existing namespace directory without owning it.
     *
     * @param directory a namespace directory, as another process's {@link #directory()}
     * @return the namespace
     */
    public static Mproc attach(final Path directory) {
        return new Mproc(Namespace.attach(directory));
    }

    /**
     * @return in a child process, the namespace its parent started it from; in a main process, a
     * private namespace created on first use and removed at exit
     */
    public static Mproc current() {
        Mproc mp = current;
        if (mp == null) {
            synchronized (CURRENT_LOCK) {
                mp = current;
                if (mp == null || mp.namespace.isClosed()) {
                    final String inherited = System.getProperty("mproc.child.namespace");
                    mp = inherited != null ? attach(Path.of(inherited)) : create();
                    current = mp;
                }
            }
        }
        return mp;
    }

    /**
     * @return the processors available to this JVM (Python's {@code cpu_count()})
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * @return the directory holding this namespace's objects
     */
    public Path directory() {
        return namespace.directory();
    }

    /**
     * @return the namespace itself, for the factories of the ipc and sync modules
     */
    public Namespace namespace() {
        return namespace;
    }

    /**
     * Ends this process's use of the namespace: a private namespace created here is removed with
     * its objects; a named or attached one stays.
     */
    @Override
    public void close() {
        namespace.close();
    }

    /** Removes the namespace and every object in it, for every process. */
    public void unlink() {
        namespace.unlink();
    }

    // ---------------------------------------------------------------- synchronisation

    /** @return a new {@code Lock()} */
    public Lock lock() {
        return sync.lock();
    }

    /** @param name its name @return the {@code Lock} of that name, created if absent */
    public Lock lock(final String name) {
        return sync.lock(name);
    }

    /** @return a new {@code RLock()} */
    public RLock rlock() {
        return sync.rlock();
    }

    /** @param name its name @return the {@code RLock} of that name, created if absent */
    public RLock rlock(final String name) {
        return sync.rlock(name);
    }

    /** @param permits initial permits @return a new {@code Semaphore(permits)} */
    public Semaphore semaphore(final int permits) {
        return sync.semaphore(permits);
    }

    /** @param name its name @param permits initial permits, if created @return the semaphore */
    public Semaphore semaphore(final String name, final int permits) {
        return sync.semaphore(name, permits);
    }

    /** @param permits initial and maximum permits @return a new {@code BoundedSemaphore(permits)} */
    public BoundedSemaphore boundedSemaphore(final int permits) {
        return sync.boundedSemaphore(permits);
    }

    /** @param name its name @param permits initial and maximum permits, if created @return the semaphore */
    public BoundedSemaphore boundedSemaphore(final String name, final int permits) {
        return sync.boundedSemaphore(name, permits);
    }

    /** @return a new {@code Event()} */
    public Event event() {
        return sync.event();
    }

    /** @param name its name @return the event of that name, created if absent */
    public Event event(final String name) {
        return sync.event(name);
    }

    /** @return a new {@code Condition()} with its own {@code RLock}, as Python's */
    public Condition condition() {
        return sync.condition();
    }

    /** @param lock the mproc {@code Lock} or {@code RLock} it uses @return a new condition */
    public Condition condition(final java.util.concurrent.locks.Lock lock) {
        return sync.condition(lock);
    }

    /** @param name its name @param lock the lock it uses @return the condition of that name */
    public Condition condition(final String name, final java.util.concurrent.locks.Lock lock) {
        return sync.condition(name, lock);
    }

    /** @param parties how many must arrive @return a new {@code Barrier(parties)} */
    public Barrier barrier(final int parties) {
        return sync.barrier(parties);
    }

    /** @param name its name @param parties how many must arrive, if created @return the barrier */
    public Barrier barrier(final String name, final int parties) {
        return sync.barrier(name, parties);
    }

    // ---------------------------------------------------------------- queues and pipes

    /** @param <T> element type @return a new {@code Queue()}, bounded only by its ring */
    public <T> Queue<T> queue() {
        return Queue.create(namespace);
    }

    /** @param <T> element type @param maxSize most items it holds @return a new {@code Queue(maxSize)} */
    public <T> Queue<T> queue(final int maxSize) {
        return Queue.create(namespace, maxSize);
    }

    /** @param <T> element type @param name its name @return the queue of that name, created if absent */
    public <T> Queue<T> queue(final String name) {
        return Queue.create(namespace, name);
    }

    /**
     * @param <T>     element type
     * @param name    its name
     * @param maxSize most items it holds, if created
     * @return the queue of that name, created if absent
     */
    public <T> Queue<T> queue(final String name, final int maxSize) {
        return Queue.<T>builder().maxSize(maxSize).create(namespace, name);
    }

    /** @param <T> element type @return a new {@code JoinableQueue()} */
    public <T> JoinableQueue<T> joinableQueue() {
        return JoinableQueue.create(namespace);
    }

    /** @param <T> element type @param maxSize most items it holds @return a new {@code JoinableQueue(maxSize)} */
    public <T> JoinableQueue<T> joinableQueue(final int maxSize) {
        return JoinableQueue.create(namespace, maxSize);
    }

    /** @param <T> element type @param name its name @return the joinable queue of that name */
    public <T> JoinableQueue<T> joinableQueue(final String name) {
        return JoinableQueue.create(namespace, name);
    }

    /** @param <T> element type @return a new {@code SimpleQueue()} */
    public <T> SimpleQueue<T> simpleQueue() {
        return SimpleQueue.create(namespace);
    }

    /** @param <T> element type @param name its name @return the simple queue of that name */
    public <T> SimpleQueue<T> simpleQueue(final String name) {
        return SimpleQueue.create(namespace, name);
    }

    /** @return a new duplex {@code Pipe()} */
    public Pipe pipe() {
        return Pipe.create(namespace);
    }

    /** @param duplex false for a one-way pipe (left receives, right sends) @return a new pipe */
    public Pipe pipe(final boolean duplex) {
        return Pipe.create(namespace, duplex);
    }

    /** @param name its name @return the duplex pipe of that name, created if absent */
    public Pipe pipe(final String name) {
        return Pipe.create(namespace, name, true);
    }

    /** @param name its name @param duplex if created, whether duplex @return the pipe of that name */
    public Pipe pipe(final String name, final boolean duplex) {
        return Pipe.create(namespace, name, duplex);
    }

    // ---------------------------------------------------------------- shared values and memory

    /** @param initial its value @return a new {@code Value('i', initial)} */
    public SharedInt intValue(final int initial) {
        return SharedInt.create(namespace, initial);
    }

    /** @param name its name @param initial its value, if created @return the shared int of that name */
    public SharedInt intValue(final String name, final int initial) {
        return SharedInt.create(namespace, name, initial);
    }

    /** @param initial its value @return a new {@code Value('q', initial)} */
    public SharedLong longValue(final long initial) {
        return SharedLong.create(namespace, initial);
    }

    /** @param name its name @param initial its value, if created @return the shared long of that name */
    public SharedLong longValue(final String name, final long initial) {
        return SharedLong.create(namespace, name, initial);
    }

    /** @param initial its value @return a new {@code Value('d', initial)} */
    public SharedDouble doubleValue(final double initial) {
        return SharedDouble.create(namespace, initial);
    }

    /** @param name its name @param initial its value, if created @return the shared double of that name */
    public SharedDouble doubleValue(final String name, final double initial) {
        return SharedDouble.create(namespace, name, initial);
    }

    /** @param length elements, all 0 @return a new {@code Array('i', length)} */
    public SharedIntArray intArray(final int length) {
        return SharedIntArray.create(namespace, length);
    }

    /** @param initial its elements @return a new {@code Array('i', initial)} */
    public SharedIntArray intArray(final int[] initial) {
        return SharedIntArray.create(namespace, initial);
    }

    /** @param name its name @param length elements, if created @return the shared array of that name */
    public SharedIntArray intArray(final String name, final int length) {
        return SharedIntArray.create(namespace, name, length);
    }

    /** @param name its name @param initial its elements, if created @return the shared array of that name */
    public SharedIntArray intArray(final String name, final int[] initial) {
        return SharedIntArray.create(namespace, name, initial);
    }

    /** @param length elements, all 0 @return a new {@code Array('q', length)} */
    public SharedLongArray longArray(final int length) {
        return SharedLongArray.create(namespace, length);
    }

    /** @param initial its elements @return a new {@code Array('q', initial)} */
    public SharedLongArray longArray(final long[] initial) {
        return SharedLongArray.create(namespace, initial);
    }

    /** @param name its name @param length elements, if created @return the shared array of that name */
    public SharedLongArray longArray(final String name, final int length) {
        return SharedLongArray.create(namespace, name, length);
    }

    /** @param name its name @param initial its elements, if created @return the shared array of that name */
    public SharedLongArray longArray(final String name, final long[] initial) {
        return SharedLongArray.create(namespace, name, initial);
    }

    /** @param length elements, all 0.0 @return a new {@code Array('d', length)} */
    public SharedDoubleArray doubleArray(final int length) {
        return SharedDoubleArray.create(namespace, length);
    }

    /** @param initial its elements @return a new {@code Array('d', initial)} */
    public SharedDoubleArray doubleArray(final double[] initial) {
        return SharedDoubleArray.create(namespace, initial);
    }

    /** @param name its name @param length elements, if created @return the shared array of that name */
    public SharedDoubleArray doubleArray(final String name, final int length) {
        return SharedDoubleArray.create(namespace, name, length);
    }

    /** @param name its name @param initial its elements, if created @return the shared array of that name */
    public SharedDoubleArray doubleArray(final String name, final double[] initial) {
        return SharedDoubleArray.create(namespace, name, initial);
    }

    /** @param length bytes, all 0 @return a new {@code Array('b', length)} */
    public SharedByteArray byteArray(final int length) {
        return SharedByteArray.create(namespace, length);
    }

    /** @param initial its bytes @return a new {@code Array('b', initial)} */
    public SharedByteArray byteArray(final byte[] initial) {
        return SharedByteArray.create(namespace, initial);
    }

    /** @param name its name @param length bytes, if created @return the shared array of that name */
    public SharedByteArray byteArray(final String name, final int length) {
        return SharedByteArray.create(namespace, name, length);
    }

    /**
     * @param name its name in this namespace
     * @param size bytes
     * @return a new block of shared memory ({@code SharedMemory(name, create=True, size)})
     */
    public SharedMemory sharedMemory(final String name, final long size) {
        return SharedMemory.create(namespace, name, size);
    }

    /** @param name its name @return the existing block of that name ({@code SharedMemory(name)}) */
    public SharedMemory attachSharedMemory(final String name) {
        return SharedMemory.attach(namespace, name);
    }

    // ---------------------------------------------------------------- processes

    /**
     * @param target what the child JVM runs; its arguments are what the lambda captures
     * @return a process, not started ({@code Process(target=...)})
     */
    public Process process(final SerializableRunnable target) {
        return Process.create(null, target, namespace.directory());
    }

    /**
     * @param name   the process's name
     * @param target what the child JVM runs
     * @return a process, not started ({@code Process(name=..., target=...)})
     */
    public Process process(final String name, final SerializableRunnable target) {
        return Process.create(Objects.requireNonNull(name, "name"), target, namespace.directory());
    }

    /** @return a pool of {@link #cpuCount()} worker JVMs ({@code Pool()}) */
    public Pool pool() {
        return Pool.builder(namespace).build();
    }

    /** @param processes worker JVMs @return a pool of that many workers ({@code Pool(processes)}) */
    public Pool pool(final int processes) {
        return Pool.builder(namespace).processes(processes).build();
    }

    /** @return a builder for a pool with more options (initializer, maxTasksPerChild, JVM options) */
    public Pool.Builder poolBuilder() {
        return Pool.builder(namespace);
    }

    @Override
    public String toString() {
        return "Mproc[" + namespace + "]";
    }
}
