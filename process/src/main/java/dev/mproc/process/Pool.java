package dev.mproc.process;

import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Namespace;
import dev.mproc.core.SerializableCallable;
import dev.mproc.core.SerializableFunction;
import dev.mproc.core.SerializableRunnable;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker JVMs that run tasks: Python's {@code multiprocessing.Pool}, and a
 * {@link java.util.concurrent.ExecutorService}.
 *
 * <pre>{@code
 * try (Pool pool = mp.pool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));        // [1, 4, 9]
 *     CompletableFuture<String> where = pool.applyAsync(() -> Process.current().name());
 * }
 * }</pre>
 *
 * <p>The workers start once, when the pool is built, and take tasks through shared-memory rings:
 * each worker has its own task pipe, all share one result queue. A call's function is serialised
 * once and sent once to each worker that needs it; the items go in chunks ({@link #map} picks a
 * chunk size as Python does, capped so that results stream back while later chunks are sent).
 *
 * <p>Failures: a task that throws fails with {@link TaskFailedException} (cause: the task's
 * exception with its remote stack trace). A worker that dies in the middle of a task (SIGKILL,
 * {@code Runtime.halt}, out of memory) fails that one task with {@link WorkerDiedException};
 * tasks it had been sent but not started go to the other workers, a new worker replaces it, and
 * the pool goes on. (CPython's {@code Pool} hangs forever here.) If the initializer throws, or
 * worker JVMs keep exiting before they are ready, the pool fails every pending task with the
 * reason and stops, rather than respawning forever.
 *
 * <p>Tasks must be serialisable: lambdas typed as {@link SerializableFunction},
 * {@link SerializableCallable} or {@link SerializableRunnable} are, with what they capture. Any
 * other task is refused at submission with {@link IllegalArgumentException}.
 *
 * <p>{@link #close()} waits for submitted work (the {@code ExecutorService} convention; Python's
 * {@code with Pool()} terminates instead); {@link #terminate()} stops at once.
 *
 * <p>Memory consistency effects: a task sees the values it captured as they were when it was
 * submitted (they are serialised then). Writes a task makes to shared mproc objects before it
 * returns happen-before the completion of its future (or the return of {@code map}, or the
 * iterator's {@code next()} for it) in this JVM: the result travels behind them through the
 * result queue, which publishes with release and reads with acquire semantics.
 *
 * <p>The futures returned here are completed by the pool's driver thread, so dependent actions
 * attached with the non-async {@code CompletableFuture} methods ({@code thenApply},
 * {@code whenComplete}, ...) run on it: keep them short, or use the {@code ...Async} variants,
 * as Python asks of its callbacks.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Pool implements ExecutorService, AutoCloseable {

    /** Largest chunk {@link #map} picks by itself: beyond it, results stop streaming back early. */
    public static final int MAX_DEFAULT_CHUNK_SIZE = 4096;
    /** How many chunks of an imap may be in flight or waiting to be consumed, per worker. */
    public static final int IMAP_WINDOW_PER_WORKER = 32;

    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private final PoolDriver driver;
    private final Thread driverThread;
    private final int processes;
    private final String name;
    private final AtomicLong functionIds = new AtomicLong();

    private Pool(final Builder builder) {
        this.processes = builder.processes;
        this.name = "Pool-" + POOL_COUNTER.incrementAndGet();
        final byte[] initializer = builder.initializer == null ? null : Process.encodeTarget(builder.initializer);
        this.driver = new PoolDriver(builder.namespace, name, processes, initializer, builder.maxTasksPerChild,
            builder.jvmOptions);
        this.driverThread = new Thread(driver, "mproc-" + name + "-driver");
        driverThread.setDaemon(true);
        driverThread.start();
    }

    /**
     * Builds the start-up cache of pool workers started with the default options, if it is not
     * built yet, and waits for it: {@link Process#awaitStartupCache}, for a pool's workers.
     *
     * @param timeout how long to wait for the build
     * @param unit    its unit
     * @return the cache file, or empty if it cannot be had (see {@link Process#startupCacheUnavailableReason()})
     * @throws InterruptedException if interrupted while waiting
     */
    public static java.util.Optional<java.nio.file.Path> awaitStartupCache(final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return java.util.Optional.ofNullable(AotCache.await(
            JvmCommand.withoutCache(PoolDriver.workerOptions(List.of()), true), unit.toNanos(timeout)));
    }

    /**
     * @param namespace where the pool's pipes and queue live (and what {@code Mproc.current()} is
     *                  in the workers)
     * @return a builder; {@code Mproc.poolBuilder()} is the usual way in
     */
    public static Builder builder(final Namespace namespace) {
        return new Builder(namespace);
    }

    /**
     * @return the number of worker JVMs
     */
    public int processes() {
        return processes;
    }

    // ------------------------------------------------------------------ map

    /**
     * Applies {@code fn} to every item in worker JVMs; results in input order ({@code Pool.map}).
     *
     * @param fn    the function
     * @param items the input, read fully first
     * @param <T>   item type
     * @param <R>   result type
     * @return the results, a fixed-size list
     * @throws TaskFailedException  for the first task that threw (or whose worker died)
     * @throws InterruptedException if interrupted while waiting; the call is cancelled
     * @throws IllegalArgumentException if {@code fn} or an item cannot be serialised
     */
    public <T, R> List<R> map(final SerializableFunction<? super T, ? extends R> fn, final Iterable<? extends T> items)
        throws InterruptedException {
        return await(mapAsync(fn, items));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, {@code chunkSize} items per message.
     *
     * @param fn        the function
     * @param items     the input
     * @param chunkSize items sent to a worker at a time, at least 1
     * @param <T>       item type
     * @param <R>       result type
     * @return the results, in input order
     * @throws InterruptedException if interrupted while waiting; the call is cancelled
     */
    public <T, R> List<R> map(final SerializableFunction<? super T, ? extends R> fn, final Iterable<? extends T> items,
                              final int chunkSize) throws InterruptedException {
        return await(mapAsync(fn, items, chunkSize));
    }

    /**
     * @param fn    the function
     * @param items the input, read fully now
     * @param <T>   item type
     * @param <R>   result type
     * @return the results in input order, when all are in ({@code Pool.map_async})
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(final SerializableFunction<? super T, ? extends R> fn,
                                                      final Iterable<? extends T> items) {
        final List<? extends T> list = materialise(items);
        return mapAsync(fn, list, defaultChunkSize(list.size()));
    }

    /**
     * @param fn        the function
     * @param items     the input, read fully now
     * @param chunkSize items sent to a worker at a time, at least 1
     * @param <T>       item type
     * @param <R>       result type
     * @return the results in input order, when all are in
     */
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<List<R>> mapAsync(final SerializableFunction<? super T, ? extends R> fn,
                                                      final Iterable<? extends T> items, final int chunkSize) {
        checkChunkSize(chunkSize);
        final List<? extends T> list = materialise(items);
        final long fnId = functionIds.incrementAndGet();
        final EncodingBuffer definition = define(fnId, fn);
        checkRunning();
        final CompletableFuture<List<Object>> future = new CompletableFuture<>();
        driver.submit(MapJob.collecting(fnId, definition, list, chunkSize, future));
        return (CompletableFuture<List<R>>) (CompletableFuture<?>) future;
    }

    /**
     * Python's chunk size for {@code map} (items over four chunks per worker, rounded up), capped
     * at {@link #MAX_DEFAULT_CHUNK_SIZE}.
     *
     * @param items how many items
     * @return the chunk size {@link #map} uses for that many
     */
    public int defaultChunkSize(final int items) {
        final int chunks = 4 * processes;
        final int size = items / chunks + (items % chunks == 0 ? 0 : 1);
        return Math.max(1, Math.min(size, MAX_DEFAULT_CHUNK_SIZE));
    }

    /**
     * Applies {@code fn} lazily: items are read as results are consumed ({@code Pool.imap}, one item per
     * chunk), so {@code items} may be endless.
     *
     * @param fn    the function
     * @param items the input
     * @param <T>   item type
     * @param <R>   result type
     * @return the results in input order, as they arrive
     */
    public <T, R> ResultIterator<R> imap(final SerializableFunction<? super T, ? extends R> fn,
                                         final Iterable<? extends T> items) {
        return stream(fn, items.iterator(), 1, true);
    }

    /**
     * @param fn    the function
     * @param items the input, possibly endless
     * @param <T>   item type
     * @param <R>   result type
     * @return the results in input order, as they arrive
     */
    public <T, R> ResultIterator<R> imap(final SerializableFunction<? super T, ? extends R> fn,
                                         final Iterator<? extends T> items) {
        return stream(fn, items, 1, true);
    }

    /**
     * @param fn        the function
     * @param items     the input, possibly endless
     * @param chunkSize items sent to a worker at a time
     * @param <T>       item type
     * @param <R>       result type
     * @return the results in input order, as they arrive
     */
    public <T, R> ResultIterator<R> imap(final SerializableFunction<? super T, ? extends R> fn,
                                         final Iterator<? extends T> items, final int chunkSize) {
        return stream(fn, items, chunkSize, true);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, results in completion order
     * ({@code Pool.imap_unordered}).
     *
     * @param fn    the function
     * @param items the input
     * @param <T>   item type
     * @param <R>   result type
     * @return the results as they complete
     */
    public <T, R> ResultIterator<R> imapUnordered(final SerializableFunction<? super T, ? extends R> fn,
                                                  final Iterable<? extends T> items) {
        return stream(fn, items.iterator(), 1, false);
    }

    /**
     * @param fn    the function
     * @param items the input, possibly endless
     * @param <T>   item type
     * @param <R>   result type
     * @return the results as they complete
     */
    public <T, R> ResultIterator<R> imapUnordered(final SerializableFunction<? super T, ? extends R> fn,
                                                  final Iterator<? extends T> items) {
        return stream(fn, items, 1, false);
    }

    /**
     * @param fn        the function
     * @param items     the input, possibly endless
     * @param chunkSize items sent to a worker at a time
     * @param <T>       item type
     * @param <R>       result type
     * @return the results as they complete
     */
    public <T, R> ResultIterator<R> imapUnordered(final SerializableFunction<? super T, ? extends R> fn,
                                                  final Iterator<? extends T> items, final int chunkSize) {
        return stream(fn, items, chunkSize, false);
    }

    @SuppressWarnings("unchecked")
    private <R> ResultIterator<R> stream(final SerializableFunction<?, ?> fn, final Iterator<?> items,
                                         final int chunkSize, final boolean ordered) {
        Objects.requireNonNull(items, "items");
        checkChunkSize(chunkSize);
        final long fnId = functionIds.incrementAndGet();
        final EncodingBuffer definition = define(fnId, fn);
        checkRunning();
        final MapJob job = MapJob.streaming(fnId, definition, items, chunkSize,
            IMAP_WINDOW_PER_WORKER * processes, ordered, driver::poke);
        driver.submit(job);
        return (ResultIterator<R>) job.stream();
    }

    // ------------------------------------------------------------------ apply

    /**
     * Runs {@code task} in a worker and waits for its result ({@code Pool.apply}).
     *
     * @param task the task
     * @param <R>  result type
     * @return its result
     * @throws TaskFailedException  if it threw, or its worker died
     * @throws InterruptedException if interrupted while waiting
     */
    public <R> R apply(final SerializableCallable<R> task) throws InterruptedException {
        return await(applyAsync(task));
    }

    /**
     * @param task the task
     * @param <R>  result type
     * @return its result, when done ({@code Pool.apply_async}); fails with
     * {@link TaskFailedException}
     */
    public <R> CompletableFuture<R> applyAsync(final SerializableCallable<R> task) {
        return call(task, task);
    }

    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<R> call(final Object callable, final Object original) {
        Objects.requireNonNull(callable, "task");
        final byte[] bytes = Process.encodeTarget(callable);
        checkRunning();
        final CompletableFuture<Object> future = new CompletableFuture<>();
        driver.submit(new CallJob(bytes, future, original));
        return (CompletableFuture<R>) future;
    }

    // ------------------------------------------------------------------ ExecutorService

    /**
     * @throws IllegalArgumentException if the task is not serialisable (declare the lambda as a
     *                                  {@link SerializableCallable})
     */
    @Override
    public <T> CompletableFuture<T> submit(final Callable<T> task) {
        return call(task, task);
    }

    /**
     * The overload a lambda picks: typed as {@link SerializableCallable}, it is serialisable.
     *
     * @param task the task
     * @param <T>  result type
     * @return its result
     */
    public <T> CompletableFuture<T> submit(final SerializableCallable<T> task) {
        return call(task, task);
    }

    /**
     * @throws IllegalArgumentException if the task is not serialisable
     */
    @Override
    public CompletableFuture<?> submit(final Runnable task) {
        return call(new RunnableCall<>(task, null), task);
    }

    /**
     * The overload a lambda picks: typed as {@link SerializableRunnable}, it is serialisable.
     *
     * @param task the task
     * @return completes with {@code null} when the task has run
     */
    public CompletableFuture<?> submit(final SerializableRunnable task) {
        return call(new RunnableCall<>(task, null), task);
    }

    /**
     * @throws IllegalArgumentException if the task or result is not serialisable
     */
    @Override
    public <T> CompletableFuture<T> submit(final Runnable task, final T result) {
        return call(new RunnableCall<>(task, result), task);
    }

    /**
     * @throws IllegalArgumentException if the task is not serialisable
     */
    @Override
    public void execute(final Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(final Collection<? extends Callable<T>> tasks) throws InterruptedException {
        final List<Future<T>> futures = submitAll(tasks);
        for (final Future<T> future : futures) {
            try {
                future.get();
            } catch (final ExecutionException | CancellationException e) {
                // Reported through the future, as invokeAll specifies.
            }
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(final Collection<? extends Callable<T>> tasks, final long timeout,
                                         final TimeUnit unit) throws InterruptedException {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final List<Future<T>> futures = submitAll(tasks);
        for (final Future<T> future : futures) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (final ExecutionException | CancellationException e) {
                // Reported through the future.
            } catch (final TimeoutException e) {
                break;
            }
        }
        for (final Future<T> future : futures) {
            future.cancel(true);
        }
        return futures;
    }

    private <T> List<Future<T>> submitAll(final Collection<? extends Callable<T>> tasks) {
        final List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (final Callable<T> task : tasks) {
            futures.add(submit(task));
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks)
        throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            throw new AssertionError("no deadline, no timeout", e);
        }
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        final CompletableFuture<T> first = new CompletableFuture<>();
        final AtomicInteger failures = new AtomicInteger();
        final List<CompletableFuture<T>> futures = new ArrayList<>();
        for (final Callable<T> task : tasks) {
            final CompletableFuture<T> future = submit(task);
            futures.add(future);
            future.whenComplete((value, error) -> {
                if (error == null) {
                    first.complete(value);
                } else if (failures.incrementAndGet() == tasks.size()) {
                    first.completeExceptionally(error);
                }
            });
        }
        try {
            return first.get(timeout, unit);
        } finally {
            for (final CompletableFuture<T> future : futures) {
                future.cancel(true);
            }
        }
    }

    /** Python's {@code close()}: no new tasks; the workers exit once the submitted ones are done. */
    @Override
    public void shutdown() {
        driver.requestShutdown();
    }

    /**
     * Stops the workers at once; tasks not finished fail with {@code CancellationException}.
     *
     * @return the tasks submitted with {@code submit}/{@code apply} that never reached a worker
     */
    @Override
    public List<Runnable> shutdownNow() {
        driver.requestTerminate();
        try {
            return driver.neverStarted.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (final ExecutionException e) {
            return List.of();
        }
    }

    /** Python's {@code terminate()}: stop the workers now; unfinished tasks are cancelled. */
    public void terminate() {
        driver.requestTerminate();
    }

    /**
     * Waits for the workers to exit, after {@link #shutdown()} or {@link #terminate()}.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if the pool is still running (as Python's {@code join})
     */
    public void join() throws InterruptedException {
        if (!driver.isShutdown()) {
            throw new IllegalStateException(name + " is still running: call shutdown() or terminate() before join()");
        }
        try {
            driver.terminated.get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        driverThread.join();
    }

    @Override
    public boolean isShutdown() {
        return driver.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return driver.terminated.isDone();
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException {
        try {
            driver.terminated.get(timeout, unit);
            return true;
        } catch (final TimeoutException e) {
            return false;
        } catch (final ExecutionException e) {
            return true;
        }
    }

    /** {@link #shutdown()}, then wait for the submitted tasks and the workers' exit. */
    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                join();
                break;
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return driver.describe();
    }

    // ------------------------------------------------------------------ helpers

    private void checkRunning() {
        if (driver.isShutdown()) {
            throw new RejectedExecutionException(name + " is shut down: it accepts no new tasks");
        }
    }

    private static void checkChunkSize(final int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
    }

    private static <T> List<? extends T> materialise(final Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<? extends T> list) {
            return list;
        }
        final List<T> copy = new ArrayList<>();
        for (final T item : items) {
            copy.add(item);
        }
        return copy;
    }

    private static EncodingBuffer define(final long fnId, final Object fn) {
        Objects.requireNonNull(fn, "fn");
        final EncodingBuffer definition = new EncodingBuffer();
        PoolProtocol.INSTANCE.encode(new PoolProtocol.Define(fnId, Process.encodeTarget(fn)), definition);
        return definition;
    }

    private static <R> R await(final CompletableFuture<R> future) throws InterruptedException {
        try {
            return future.get();
        } catch (final InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new TaskFailedException("the call failed: " + cause, cause);
        }
    }

    /** A {@link Runnable} task as a callable with a fixed result; serialisable when its parts are. */
    private record RunnableCall<T>(Runnable task, T result) implements SerializableCallable<T> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    /** Options of a pool: {@code Pool(processes, initializer, maxtasksperchild)} and JVM options. */
    public static final class Builder {
        private final Namespace namespace;
        private int processes = Runtime.getRuntime().availableProcessors();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(final Namespace namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        /**
         * @param value worker JVMs, at least 1 (default: the processors available)
         * @return this builder
         */
        public Builder processes(final int value) {
            if (value < 1) {
                throw new IllegalArgumentException("processes must be at least 1, was " + value);
            }
            processes = value;
            return this;
        }

        /**
         * @param value run once in each worker before its first task (Python's {@code initializer};
         *              capture what would be {@code initargs})
         * @return this builder
         */
        public Builder initializer(final SerializableRunnable value) {
            initializer = Objects.requireNonNull(value, "initializer");
            return this;
        }

        /**
         * @param value tasks (chunks, for a map) a worker runs before it is replaced by a fresh
         *              JVM; 0 (the default) for no limit
         * @return this builder
         */
        public Builder maxTasksPerChild(final int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more, was " + value);
            }
            maxTasksPerChild = value;
            return this;
        }

        /**
         * @param options JVM options for every worker, after the inherited ones (e.g. {@code "-Xmx128m"})
         * @return this builder
         */
        public Builder jvmOptions(final String... options) {
            for (final String option : options) {
                jvmOptions.add(Objects.requireNonNull(option, "option"));
            }
            return this;
        }

        /**
         * Starts the workers (without waiting for them to be up: tasks queue meanwhile).
         *
         * @return the pool
         * @throws IllegalArgumentException if the initializer is not serialisable
         */
        public Pool build() {
            return new Pool(this);
        }
    }
}
