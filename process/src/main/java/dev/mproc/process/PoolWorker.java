package dev.mproc.process;

import dev.mproc.core.DefaultCodec;
import dev.mproc.core.SerializableRunnable;
import dev.mproc.core.WaitStrategies;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Queue;

import java.io.EOFException;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What a pool's worker JVM runs: attach to its task pipe and the pool's result queue, run the
 * initializer, then take messages until {@code STOP} or until the pool closes the pipe.
 *
 * <p>Tasks run one at a time on the worker's main thread, in the order they were sent. Each
 * item's outcome, value or exception, goes back separately, so one failing item does not hide
 * the others.
 *
 * @param taskPipe    the file of this worker's task pipe (it receives on the left end)
 * @param resultQueue the file of the pool's result queue
 * @param worker      this worker's number in the pool
 * @param initializer the encoded initializer, or {@code null}
 */
record PoolWorker(String taskPipe, String resultQueue, int worker, byte[] initializer) implements SerializableRunnable {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
        final Connection tasks = Connection.attach(Path.of(taskPipe), true, PoolProtocol.INSTANCE,
            WaitStrategies.defaultStrategy());
        final Queue<Object> results = Queue.attach(Path.of(resultQueue), PoolProtocol.INSTANCE,
            WaitStrategies.defaultStrategy());
        try {
            if (initializer != null) {
                try {
                    ((Runnable) decode(initializer)).run();
                } catch (final Throwable failure) {
                    results.put(new PoolProtocol.InitFailed(worker, failure));
                    return;
                }
            }
            results.put(new PoolProtocol.Ready(worker));
            serve(tasks, results);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(final Connection tasks, final Queue<Object> results) throws InterruptedException {
        // A function that would not decode is kept as its exception: every item fails with it.
        final Map<Long, Object> functions = new HashMap<>();
        while (true) {
            final Object message;
            try {
                message = tasks.recv();
            } catch (final EOFException e) {
                return; // the pool closed our pipe, or died
            }
            if (!handle(message, functions, results)) {
                return;
            }
        }
    }

    /** @return false on STOP */
    private boolean handle(final Object message, final Map<Long, Object> functions, final Queue<Object> results)
        throws InterruptedException {
        switch (message) {
            case PoolProtocol.Chunk chunk -> results.put(new PoolProtocol.Result(worker, chunk.chunkId(),
                applyAll(functions.get(chunk.fnId()), chunk)));
            case PoolProtocol.Batch batch -> {
                for (final Object inner : batch.messages()) {
                    if (!handle(inner, functions, results)) {
                        return false;
                    }
                }
            }
            case PoolProtocol.Call call -> results.put(new PoolProtocol.Result(worker, call.chunkId(),
                new Object[] {call(call.callable())}));
            case PoolProtocol.Define define -> functions.put(define.fnId(), decodeOrFailure(define.function()));
            case PoolProtocol.Release release -> functions.remove(release.fnId());
            case PoolProtocol.Control control -> {
                return control != PoolProtocol.Control.STOP;
            }
            default -> throw new IllegalStateException("unexpected message on a task pipe: " + message);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Object[] applyAll(final Object function, final PoolProtocol.Chunk chunk) {
        final Object[] items = chunk.items();
        if (!(function instanceof Function<?, ?>)) {
            final Throwable why = function instanceof Throwable t ? t
                : new IllegalStateException("function " + chunk.fnId() + " was never defined in this worker");
            java.util.Arrays.fill(items, new PoolProtocol.Failed(why));
            return items;
        }
        final Function<Object, Object> fn = (Function<Object, Object>) function;
        // Results replace items in place: the array is ours, and this spares an allocation.
        for (int i = 0; i < items.length; i++) {
            final Object item = items[i];
            if (item instanceof PoolProtocol.Failed) {
                continue; // the item itself did not decode: that is its outcome
            }
            try {
                items[i] = fn.apply(item);
            } catch (final Throwable failure) {
                items[i] = new PoolProtocol.Failed(failure);
            }
        }
        return items;
    }

    private static Object call(final byte[] callable) {
        try {
            return ((Callable<?>) decode(callable)).call();
        } catch (final Throwable failure) {
            return new PoolProtocol.Failed(failure);
        }
    }

    private static Object decodeOrFailure(final byte[] function) {
        try {
            return decode(function);
        } catch (final RuntimeException e) {
            return e;
        }
    }

    private static Object decode(final byte[] bytes) {
        return DefaultCodec.instance().decode(MemorySegment.ofArray(bytes));
    }
}
