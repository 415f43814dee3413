package dev.mproc.process;

import dev.mproc.Mproc;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.Futex;
import dev.mproc.core.SerializableFunction;
import dev.mproc.core.SerializableRunnable;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.sync.Event;
import dev.mproc.sync.Lock;


/**
 * Runs, ahead of a task, what every child does: in a spare JVM while it waits for its task
 * ({@link #spare()}), and as the task of the training run of the {@link AotCache}
 * ({@link #training()}), whose classes and method profiles every later child then starts with.
 */
final class ChildWarmUp {

    private static final String[] WARM_CLASSES = {
        "dev.mproc.Mproc", "dev.mproc.ipc.Queue", "dev.mproc.ipc.Connection", "dev.mproc.ipc.SharedIntArray",
        "dev.mproc.sync.Lock", "dev.mproc.process.PoolWorker", "dev.mproc.process.PoolProtocol",
    };
    /** Enough round trips for the training run's method profiles to say where the hot paths go. */
    private static final int TRAINING_ROUNDS = 2_000;
    private static final int TRAINING_RING_BYTES = 64 * 1024;

    private ChildWarmUp() {
    }

    /**
     * What every child does first: a lambda through the codec (serialisation, lambda
     * deserialisation, memory segments), linking the futex call, and loading the classes a task
     * most often touches. Never fails: warming is an optimisation.
     */
    static void spare() {
        try {
            final SerializableRunnable probe = () -> { };
            ((Runnable) DefaultCodec.instance().decode(Process.encodeTarget(probe))).run();
            Futex.system();
            for (final String name : WARM_CLASSES) {
                Class.forName(name, true, ChildWarmUp.class.getClassLoader());
            }
        } catch (final ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The task will load what it needs.
        }
    }

    /**
     * The work of the training run, which reaches it as any child's task does (so the run also
     * goes through a child's start-up path): what {@link #spare()} does, then what tasks and pool
     * workers do most: a pool worker serving chunks over a task pipe and the result queue, a lock,
     * an event and a shared array, in a private namespace removed at the end.
     *
     * @throws Exception if any of it fails: the cache is then not built, and the builder keeps
     *                   this JVM's output to say why
     */
    static void training() throws Exception {
        spare();
        try (Mproc mp = Mproc.create()) {
            servePoolChunks(mp);
            final Lock lock = mp.lock();
            final Event event = mp.event();
            final SharedIntArray array = mp.intArray(16);
            for (int i = 0; i < TRAINING_ROUNDS; i++) {
                lock.lock();
                try {
                    array.set(i & 15, i);
                } finally {
                    lock.unlock();
                }
            }
            event.set();
            event.await();
        }
    }

    /** {@link #training()} as a task: what the training JVM of the {@link AotCache} runs. */
    static void trainingTask() {
        try {
            training();
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException("the start-up cache's training run failed", e);
        }
    }

    /** A pool worker on a thread of this JVM, fed and drained as a pool's driver does. */
    private static void servePoolChunks(final Mproc mp) throws Exception {
        final Queue<Object> results = Queue.builder().capacity(TRAINING_RING_BYTES).codec(PoolProtocol.INSTANCE)
            .create(mp.namespace());
        final Pipe pipe = Pipe.builder().duplex(false).capacity(TRAINING_RING_BYTES).codec(PoolProtocol.INSTANCE)
            .create(mp.namespace());
        final Thread worker = new Thread(new PoolWorker(pipe.file().toString(), results.file().toString(), 1, null),
            "mproc-training-worker");
        worker.start();
        final Connection tasks = pipe.right();
        expect(results.take(), PoolProtocol.Ready.class);
        final SerializableFunction<Object, Object> identity = item -> item;
        tasks.send(new PoolProtocol.Define(1, Process.encodeTarget(identity)));
        for (int i = 0; i < TRAINING_ROUNDS; i++) {
            tasks.send(new PoolProtocol.Chunk(i, 1, new Object[] {i, "item " + i}));
            expect(results.take(), PoolProtocol.Result.class);
        }
        tasks.send(PoolProtocol.Control.STOP);
        worker.join();
        pipe.close();
        results.close();
    }

    private static void expect(final Object message, final Class<?> type) {
        if (!type.isInstance(message)) {
            throw new IllegalStateException("training: expected a " + type.getSimpleName() + ", got " + message);
        }
    }
}
