package dev.mproc.process;

import dev.mproc.core.CodecException;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Namespace;
import dev.mproc.ipc.ChannelClosedException;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread that runs a {@link Pool}: it starts the workers, turns calls into chunks and sends
 * each to the least busy worker's task pipe, reads every worker's results from the one result
 * queue, and replaces workers that die or retire. All pool state below the "driver thread only"
 * line belongs to this thread, so none of it needs a lock.
 *
 * <p>Why one thread does both directions: it blocks in one place only, the result queue. Calls
 * submitted by users, imap consumers making room, shutdown and terminate all post a NUDGE into
 * that queue when the driver sleeps, and the JDK's reaper posts EXITED when a worker's JVM ends,
 * after every result that worker committed. So a worker's death is always handled after its last
 * results, and only the chunks it had not finished are failed (the first one: it was running)
 * or sent to another worker (the rest: it never started them).
 *
 * <p>Why it never blocks sending: a send blocks only on a full pipe, and a worker stops reading
 * its pipe only while its results wait for the driver. The driver keeps what it has sent to a
 * worker and not seen answered below half the pipe, and sends a message too large to fit whole
 * only to a worker with nothing outstanding (which is reading).
 */
final class PoolDriver implements Runnable {

    static final int TASK_PIPE_CAPACITY = 1 << 20;
    static final int RESULT_QUEUE_CAPACITY = 4 << 20;
    /** Chunks a worker may have outstanding: deep enough to hide the round trip of small tasks. */
    static final int MAX_CHUNKS_PER_WORKER = 256;
    /** One running, one waiting: the worker never waits for the driver between chunks. */
    static final int MIN_CHUNKS_PER_WORKER = 2;
    /** How much of a worker's work to queue ahead of it (see {@link WorkerHandle#depth()}). */
    static final long QUEUED_WORK_NANOS = 200_000;
    private static final int BYTE_BUDGET = TASK_PIPE_CAPACITY / 2;
    /** Above this the ring splits a message into fragments (a quarter of its capacity). */
    private static final int LARGE_MESSAGE = TASK_PIPE_CAPACITY / 4;
    /** Workers that exit before becoming ready, in a row, before the pool gives up. */
    private static final int MAX_START_FAILURES = 3;
    private static final int DRAIN_BATCH = 256;
    /** A batch is closed once it holds this much: large enough to amortise a record per task. */
    private static final int BATCH_BYTES = 32 * 1024;

    private final Namespace namespace;
    private final int processes;
    private final byte[] initializer;
    private final int maxTasksPerChild;
    private final List<String> jvmOptions;
    private final String name;
    private final Queue<Object> results;

    // Shared with user threads.
    private final ConcurrentLinkedQueue<PoolJob> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean idle = new AtomicBoolean();
    private final AtomicBoolean attention = new AtomicBoolean();
    private volatile boolean shutdownRequested;
    private volatile boolean terminateRequested;
    private volatile Throwable broken;
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final CompletableFuture<List<Runnable>> neverStarted = new CompletableFuture<>();

    // ------------------------------------------------------------------ driver thread only
    private final Map<Integer, WorkerHandle> workers = new LinkedHashMap<>();
    private final ArrayDeque<PoolJob> producing = new ArrayDeque<>();
    private final ArrayDeque<ChunkTask> retry = new ArrayDeque<>();
    private final Map<Long, ChunkTask> outstanding = new HashMap<>();
    private final EncodingBuffer staging = new EncodingBuffer(64 * 1024);
    private final EncodingBuffer stop = new EncodingBuffer(8);
    private ChunkTask staged;
    private int nextWorkerNo;
    private long nextChunkId = 1;
    private int startFailures;
    private boolean terminating;

    /** A worker JVM as the driver sees it. */
    static final class WorkerHandle {
        final int no;
        final Process process;
        final Pipe pipe;
        final Connection tasks;
        final ArrayDeque<ChunkTask> assigned = new ArrayDeque<>();
        final Set<Long> defined = new HashSet<>();
        long assignedBytes;
        /** The BATCH being filled for this worker, the chunks in it, and its message count. */
        final EncodingBuffer batch = new EncodingBuffer(BATCH_BYTES + 1024);
        final List<ChunkTask> batched = new ArrayList<>();
        int batchMessages;
        int soleMessageAt;
        /** Estimated time the worker spends on one chunk (moving average), 0 until measured. */
        long serviceNanos;
        long lastResultNanos;
        int dispatched;
        boolean ready;
        boolean retiring;
        boolean stopSent;
        boolean unreachable;
        /** True when the pool recycles workers (maxTasksPerChild): then only a ready one takes work. */
        final boolean recycled;

        WorkerHandle(final int no, final Process process, final Pipe pipe, final boolean recycled) {
            this.no = no;
            this.process = process;
            this.pipe = pipe;
            this.tasks = pipe.right();
            this.recycled = recycled;
        }

        boolean accepts(final int bytes) {
            if (retiring || stopSent || unreachable || assigned.size() >= depth()) {
                return false;
            }
            if (recycled && !ready) {
                // A recycled worker's successor is started early; given work while still booting,
                // it would retire at once and start its own successor, and so on: every pending
                // task would get a JVM booting at the same time.
                return false;
            }
            return bytes > LARGE_MESSAGE ? assigned.isEmpty() : assignedBytes + bytes <= BYTE_BUDGET;
        }

        /**
         * How many chunks this worker may hold: enough queued to cover about
         * {@link #QUEUED_WORK_NANOS} of its work, so that tiny tasks stream without the worker
         * running dry, while long ones are not queued behind each other on one worker when
         * another could take them (the pool pushes work; it cannot take it back).
         */
        int depth() {
            if (serviceNanos <= 0) {
                return MIN_CHUNKS_PER_WORKER;
            }
            return (int) Math.max(MIN_CHUNKS_PER_WORKER, Math.min(MAX_CHUNKS_PER_WORKER, QUEUED_WORK_NANOS / serviceNanos));
        }

        /** A result of a chunk sent at {@code sentNanos} arrived at {@code now}. */
        void measure(final long sentNanos, final long now) {
            // The worker started this chunk when it finished the previous one, or when the chunk
            // arrived if it was idle: the time since then is what the chunk took.
            final long sample = now - Math.max(sentNanos, lastResultNanos);
            lastResultNanos = now;
            serviceNanos = serviceNanos == 0 ? sample : serviceNanos + (sample - serviceNanos) / 8;
        }
    }

    PoolDriver(final Namespace namespace, final String name, final int processes, final byte[] initializer,
               final int maxTasksPerChild, final List<String> jvmOptions) {
        this.namespace = namespace;
        this.name = name;
        this.processes = processes;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.results = Queue.builder().capacity(RESULT_QUEUE_CAPACITY).codec(PoolProtocol.INSTANCE).create(namespace);
    }

    // ------------------------------------------------------------------ user threads

    /** Queues a job; if the pool no longer accepts work, the job fails at once. */
    void submit(final PoolJob job) {
        submissions.add(job);
        // Checked after adding: a job added after the driver drained for the last time is failed
        // here or by that final drain, never left waiting.
        if (terminateRequested || broken != null) {
            drainRejected();
        }
        poke();
    }

    private void drainRejected() {
        PoolJob job;
        while ((job = submissions.poll()) != null) {
            job.fail(rejection());
        }
    }

    private Throwable rejection() {
        final Throwable cause = broken;
        return cause != null ? cause : new CancellationException("the pool was terminated");
    }

    void requestShutdown() {
        shutdownRequested = true;
        poke();
    }

    void requestTerminate() {
        shutdownRequested = true;
        terminateRequested = true;
        poke();
    }

    boolean isShutdown() {
        return shutdownRequested;
    }

    /** Something outside the result queue changed: make sure the driver looks. */
    void poke() {
        attention.set(true);
        // Dekker with the driver: it sets idle then reads attention; we set attention then read
        // idle, so at least one of us sees the other and the driver does not sleep through it.
        if (idle.get() && idle.compareAndSet(true, false)) {
            try {
                results.put(PoolProtocol.Control.NUDGE);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                attention.set(true);
            } catch (final RuntimeException e) {
                // The pool has finished and closed its queue: nothing is waiting for a nudge.
            }
        }
    }

    // ------------------------------------------------------------------ driver thread

    @Override
    public void run() {
        try {
            for (int i = 0; i < processes; i++) {
                startWorker();
            }
            loop();
        } catch (final Throwable failure) {
            breakPool(new TaskFailedException("the pool's driver thread failed: " + failure, failure));
            for (final WorkerHandle worker : workers.values()) {
                worker.process.kill();
            }
        } finally {
            finish();
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            attention.set(false);
            acceptSubmissions();
            if (terminateRequested && !terminating) {
                terminateNow();
            }
            dispatch();
            stopWorkersIfShutDown();
            if (workers.isEmpty() && (shutdownRequested || broken != null)) {
                return;
            }
            Object message = results.poll();
            if (message == null) {
                idle.set(true);
                if (attention.get() || !submissions.isEmpty()) {
                    idle.set(false);
                    continue;
                }
                message = results.take();
                idle.set(false);
            }
            int handled = 0;
            do {
                handle(message);
            } while (++handled < DRAIN_BATCH && (message = results.poll()) != null);
        }
    }

    private void acceptSubmissions() {
        PoolJob job;
        while ((job = submissions.poll()) != null) {
            if (terminating || broken != null) {
                job.fail(rejection());
            } else {
                producing.addLast(job);
            }
        }
    }

    private void handle(final Object message) throws InterruptedException {
        switch (message) {
            case PoolProtocol.Result result -> onResult(result);
            case PoolProtocol.Ready ready -> {
                final WorkerHandle worker = workers.get(ready.worker());
                if (worker != null) {
                    worker.ready = true;
                    startFailures = 0;
                }
            }
            case PoolProtocol.Exited exited -> onExit(exited.worker());
            case PoolProtocol.InitFailed failed -> {
                final WorkerHandle worker = workers.get(failed.worker());
                breakPool(new TaskFailedException("the pool's initializer failed in worker pid "
                    + (worker == null ? "?" : worker.process.pid()) + ": " + failed.failure(), failed.failure()));
            }
            case PoolProtocol.Control control -> {
                // NUDGE: the loop looks at everything next.
            }
            default -> throw new IllegalStateException("unexpected message on the result queue: " + message);
        }
    }

    private void onResult(final PoolProtocol.Result result) {
        final ChunkTask chunk = outstanding.remove(result.chunkId());
        if (chunk == null) {
            return; // its job was terminated
        }
        final WorkerHandle worker = chunk.worker;
        if (worker.assigned.peekFirst() == chunk) {
            worker.assigned.pollFirst();
        } else {
            worker.assigned.remove(chunk);
        }
        worker.assignedBytes -= chunk.bytes;
        worker.measure(chunk.sentNanos, System.nanoTime());
        if (!chunk.job.isDone()) {
            final Object[] values = result.values();
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof PoolProtocol.Failed failed) {
                    values[i] = new PoolProtocol.Failed(new TaskFailedException("task failed in worker pid "
                        + worker.process.pid() + ": " + failed.failure(), failed.failure()));
                }
            }
            chunk.job.complete(chunk, values);
        }
        releaseIfFinished(chunk.job);
    }

    private void onExit(final int workerNo) throws InterruptedException {
        final WorkerHandle worker = workers.remove(workerNo);
        if (worker == null) {
            return;
        }
        worker.process.join();
        final Integer exitCode = worker.process.exitCode();
        final int status = exitCode == null ? Integer.MIN_VALUE : exitCode;
        worker.tasks.close();
        worker.pipe.close();
        try {
            Files.deleteIfExists(worker.pipe.file());
        } catch (final IOException e) {
            // The namespace's removal takes it.
        }
        final boolean expected = (worker.stopSent || worker.retiring) && worker.assigned.isEmpty() && status == 0;
        if (!worker.ready && !expected && !terminating && status > 0) {
            // A JVM that exits on its own before it is ready (a bad option, a missing class) will
            // do so again; one killed by a signal says nothing about the next.
            startFailures++;
        }
        ChunkTask chunk = worker.ready ? worker.assigned.pollFirst() : null;
        if (chunk != null) {
            // It was running this one (or about to): that task is lost with the worker.
            outstanding.remove(chunk.chunkId);
            if (!chunk.job.isDone()) {
                final WorkerDiedException died = new WorkerDiedException(worker.process.pid(), status,
                    "worker pid " + worker.process.pid() + " of " + name + " died (exit status " + status
                        + ") while running this task; the pool has replaced it");
                final Object[] lost = new Object[chunk.items == null ? 1 : chunk.items.length];
                java.util.Arrays.fill(lost, new PoolProtocol.Failed(died));
                chunk.job.complete(chunk, lost);
            }
            releaseIfFinished(chunk.job);
        }
        // The rest never started: they go to other workers, in their order.
        while ((chunk = worker.assigned.pollLast()) != null) {
            outstanding.remove(chunk.chunkId);
            chunk.worker = null;
            retry.addFirst(chunk);
        }
        if (startFailures >= MAX_START_FAILURES) {
            breakPool(new TaskFailedException(startFailures + " worker JVMs of " + name
                + " exited before they were ready (last exit status " + status
                + "); their standard error says why (a bad JVM option? a missing class?)", null));
        } else if (!worker.retiring && needsWorkers()) {
            startWorker();
        }
    }

    private boolean needsWorkers() {
        return !terminating && broken == null
            && (!shutdownRequested || !producing.isEmpty() || !retry.isEmpty() || staged != null || !outstanding.isEmpty());
    }

    /**
     * @param chosen the pool's worker JVM options
     * @return the options every worker JVM gets: a worker out of memory must die (and be
     *         replaced), not limp on with a broken heap; then the chosen ones
     */
    static List<String> workerOptions(final List<String> chosen) {
        final List<String> options = new ArrayList<>();
        options.add("-XX:+ExitOnOutOfMemoryError");
        options.addAll(chosen);
        return options;
    }

    private void startWorker() {
        final int no = ++nextWorkerNo;
        final Pipe pipe = Pipe.builder().duplex(false).capacity(TASK_PIPE_CAPACITY).codec(PoolProtocol.INSTANCE)
            .create(namespace);
        final Process process = Process.create("PoolWorker-" + no,
            new PoolWorker(pipe.file().toString(), results.file().toString(), no, initializer),
            namespace.directory());
        process.setDaemon(true);
        process.jvmOptions(workerOptions(jvmOptions).toArray(new String[0]));
        try {
            process.start();
        } catch (final RuntimeException e) {
            pipe.close();
            breakPool(new TaskFailedException("cannot start a worker JVM for " + name + ": " + e.getMessage(), e));
            return;
        }
        final WorkerHandle worker = new WorkerHandle(no, process, pipe, maxTasksPerChild > 0);
        workers.put(no, worker);
        process.onExit().whenComplete((ignored, error) -> postExit(no));
    }

    /** On the JDK's reaper thread: tell the driver, behind everything the worker committed. */
    private void postExit(final int workerNo) {
        try {
            results.put(new PoolProtocol.Exited(workerNo));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            // The pool is over and its queue closed.
        }
    }

    /**
     * Sends what can be sent: each chunk goes to the least busy worker that accepts it, into that
     * worker's BATCH, and the batches go out when full or when nothing more can be placed. So
     * chunks are spread over the workers as if sent one by one, at one ring record per batch.
     */
    private void dispatch() {
        while (broken == null && !terminating && stage()) {
            WorkerHandle target = null;
            for (final WorkerHandle worker : workers.values()) {
                if (worker.accepts(bytesFor(worker, staged))
                    && (target == null || worker.assigned.size() < target.assigned.size())) {
                    target = worker;
                }
            }
            if (target == null) {
                break;
            }
            place(target);
        }
        for (final WorkerHandle worker : workers.values()) {
            flush(worker);
        }
    }

    private int bytesFor(final WorkerHandle worker, final ChunkTask chunk) {
        final PoolJob job = chunk.job;
        return staging.length() + (job.definition != null && !worker.defined.contains(job.fnId)
            ? job.definition.length() : 0);
    }

    /** Makes {@link #staged} the next chunk, encoded in {@link #staging}; false if there is none. */
    private boolean stage() {
        while (staged == null) {
            final ChunkTask next = nextChunk();
            if (next == null) {
                return false;
            }
            if (encode(next)) {
                staged = next;
            }
        }
        return true;
    }

    /** Adds the staged chunk (and its function's definition, if the worker lacks it) to the worker's batch. */
    private void place(final WorkerHandle worker) {
        final PoolJob job = staged.job;
        if (worker.batched.isEmpty() && worker.batchMessages == 0) {
            worker.batch.clear();
            PoolProtocol.beginBatch(worker.batch);
        }
        int bytes = staging.length();
        if (job.definition != null && worker.defined.add(job.fnId)) {
            PoolProtocol.addToBatch(worker.batch, job.definition.segment());
            worker.batchMessages++;
            job.definedOn.add(worker);
            bytes += job.definition.length();
        }
        if (worker.batchMessages == 0) {
            worker.soleMessageAt = worker.batch.length() + Integer.BYTES;
        }
        PoolProtocol.addToBatch(worker.batch, staging.segment());
        worker.batchMessages++;
        staged.worker = worker;
        staged.bytes = bytes;
        staged.sentNanos = System.nanoTime();
        worker.assigned.addLast(staged);
        worker.assignedBytes += bytes;
        worker.batched.add(staged);
        outstanding.put(staged.chunkId, staged);
        staged = null;
        boolean retired = false;
        if (maxTasksPerChild > 0 && ++worker.dispatched >= maxTasksPerChild) {
            // It finishes what it has and exits; its successor starts now, so its start-up
            // overlaps the last tasks instead of following them.
            worker.retiring = true;
            stop.clear();
            PoolProtocol.INSTANCE.encode(PoolProtocol.Control.STOP, stop);
            PoolProtocol.addToBatch(worker.batch, stop.segment());
            worker.batchMessages++;
            retired = true;
        }
        if (retired || worker.batch.length() >= BATCH_BYTES) {
            flush(worker);
        }
        if (retired) {
            startWorker();
        }
    }

    /** Sends the worker's batch, if it holds anything. */
    private void flush(final WorkerHandle worker) {
        if (worker.batchMessages == 0) {
            return;
        }
        PoolProtocol.endBatch(worker.batch, worker.batchMessages);
        try {
            // One message needs no batch around it (and a large chunk no second copy).
            worker.tasks.send(new PoolProtocol.Encoded(worker.batchMessages == 1
                ? worker.batch.segment().asSlice(worker.soleMessageAt) : worker.batch.segment()));
        } catch (final ChannelClosedException e) {
            // Its JVM died: EXITED is on its way. What the batch held goes to other workers.
            worker.unreachable = true;
            for (int i = worker.batched.size() - 1; i >= 0; i--) {
                final ChunkTask chunk = worker.batched.get(i);
                worker.assigned.remove(chunk);
                worker.assignedBytes -= chunk.bytes;
                outstanding.remove(chunk.chunkId);
                chunk.worker = null;
                retry.addFirst(chunk);
            }
        }
        worker.batched.clear();
        worker.batchMessages = 0;
    }

    private ChunkTask nextChunk() {
        ChunkTask chunk;
        while ((chunk = retry.pollFirst()) != null) {
            if (!chunk.job.isDone()) {
                return chunk;
            }
            releaseIfFinished(chunk.job);
        }
        for (int i = producing.size(); i > 0; i--) {
            final PoolJob job = producing.pollFirst();
            chunk = job.nextChunk(nextChunkId);
            final boolean more = !job.exhausted() && !job.isDone();
            if (more) {
                producing.addLast(job); // round robin between concurrent calls
            } else {
                releaseIfFinished(job);
            }
            if (chunk != null) {
                nextChunkId++;
                return chunk;
            }
        }
        return null;
    }

    private boolean encode(final ChunkTask chunk) {
        staging.clear();
        try {
            if (chunk.job instanceof CallJob call) {
                PoolProtocol.INSTANCE.encode(new PoolProtocol.Call(chunk.chunkId, call.callable), staging);
            } else {
                PoolProtocol.INSTANCE.encode(new PoolProtocol.Chunk(chunk.chunkId, chunk.job.fnId, chunk.items), staging);
            }
            return true;
        } catch (final CodecException e) {
            chunk.job.fail(new IllegalArgumentException("an item (from position " + chunk.offset
                + ") cannot be sent to a worker: " + e.getMessage(), e));
            releaseIfFinished(chunk.job);
            return false;
        }
    }

    private static void sendQuietly(final WorkerHandle worker, final Object message) {
        try {
            worker.tasks.send(message);
        } catch (final ChannelClosedException e) {
            worker.unreachable = true;
        }
    }

    private void releaseIfFinished(final PoolJob job) {
        if (job.definedOn.isEmpty() || !job.finished()) {
            return;
        }
        for (final WorkerHandle worker : job.definedOn) {
            // A dead worker's definitions died with it.
            if (workers.containsKey(worker.no) && worker.defined.remove(job.fnId)) {
                sendQuietly(worker, new PoolProtocol.Release(job.fnId));
            }
        }
        job.definedOn.clear();
    }

    private void stopWorkersIfShutDown() {
        if (!shutdownRequested || terminating || !producing.isEmpty() || !retry.isEmpty() || staged != null
            || !outstanding.isEmpty() || !submissions.isEmpty()) {
            return;
        }
        for (final WorkerHandle worker : workers.values()) {
            if (!worker.stopSent && !worker.retiring) {
                worker.stopSent = true;
                sendQuietly(worker, PoolProtocol.Control.STOP);
            }
        }
    }

    private void terminateNow() {
        terminating = true;
        final List<Runnable> notStarted = new ArrayList<>();
        final CancellationException cancelled = new CancellationException("the pool was terminated");
        for (final PoolJob job : producing) {
            if (job instanceof CallJob call && !call.started()) {
                notStarted.add(asRunnable(call.original));
            }
            job.fail(cancelled);
        }
        producing.clear();
        failAllPending(cancelled);
        for (final WorkerHandle worker : workers.values()) {
            worker.process.terminate();
        }
        neverStarted.complete(notStarted);
    }

    private static Runnable asRunnable(final Object task) {
        if (task instanceof Runnable runnable) {
            return runnable;
        }
        return new FutureTask<>((java.util.concurrent.Callable<?>) task);
    }

    private void breakPool(final Throwable cause) {
        if (broken != null) {
            return;
        }
        broken = cause;
        shutdownRequested = true;
        for (final PoolJob job : producing) {
            job.fail(cause);
        }
        producing.clear();
        failAllPending(cause);
        drainRejected();
        for (final WorkerHandle worker : workers.values()) {
            worker.process.terminate();
        }
    }

    private void failAllPending(final Throwable cause) {
        if (staged != null) {
            staged.job.fail(cause);
            staged = null;
        }
        for (final ChunkTask chunk : retry) {
            chunk.job.fail(cause);
        }
        retry.clear();
        for (final ChunkTask chunk : outstanding.values()) {
            chunk.job.fail(cause);
        }
        outstanding.clear();
        for (final WorkerHandle worker : workers.values()) {
            worker.assigned.clear();
        }
    }

    private void finish() {
        final Throwable cause = broken != null ? broken : new CancellationException("the pool was terminated");
        for (final PoolJob job : producing) {
            job.fail(cause);
        }
        failAllPending(cause);
        drainRejected();
        neverStarted.complete(List.of());
        results.close();
        try {
            Files.deleteIfExists(results.file());
        } catch (final IOException e) {
            // The namespace's removal takes it.
        }
        terminated.complete(null);
    }

    /** For {@code Pool.toString()}; racy by nature, good enough for a description. */
    String describe() {
        return name + "[processes=" + processes + (broken != null ? ", broken" : terminateRequested ? ", terminated"
            : shutdownRequested ? ", shut down" : ", running") + "]";
    }
}
