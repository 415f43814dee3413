package dev.mproc.process;

import dev.mproc.core.EncodingBuffer;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code map}, {@code mapAsync}, {@code imap}, {@code imapUnordered}: a function applied to the
 * items of an input, chunk by chunk. A map collects every value into one list; an imap hands
 * values to its {@link ResultIterator} as chunks complete and reads the input no further ahead
 * of the consumer than {@code window} chunks.
 */
final class MapJob extends PoolJob {

    private final Iterator<?> source;
    private final int chunkSize;
    private final int window;
    /** map: the values in input order, and the future completed with them. */
    private final Object[] values;
    private final CompletableFuture<List<Object>> future;
    /** imap: the values as they come. */
    private final Stream stream;
    private long nextOffset;
    private boolean exhausted;

    private MapJob(final long fnId, final EncodingBuffer definition, final Iterator<?> source, final int chunkSize,
                   final int window, final Object[] values, final CompletableFuture<List<Object>> future,
                   final Stream stream) {
        super(fnId, definition);
        this.source = source;
        this.chunkSize = chunkSize;
        this.window = window;
        this.values = values;
        this.future = future;
        this.stream = stream;
    }

    static MapJob collecting(final long fnId, final EncodingBuffer definition, final List<?> items, final int chunkSize,
                             final CompletableFuture<List<Object>> future) {
        return new MapJob(fnId, definition, items.iterator(), chunkSize, Integer.MAX_VALUE, new Object[items.size()],
            future, null);
    }

    static MapJob streaming(final long fnId, final EncodingBuffer definition, final Iterator<?> source,
                            final int chunkSize, final int window, final boolean ordered, final Runnable onWindowOpen) {
        return new MapJob(fnId, definition, source, chunkSize, window, null, null, new Stream(ordered, onWindowOpen));
    }

    ResultIterator<Object> stream() {
        return stream;
    }

    @Override
    ChunkTask nextChunk(final long chunkId) {
        if (exhausted || isDone()) {
            return null;
        }
        if (stream != null && !stream.windowAllows(chunksProduced, window)) {
            return null;
        }
        final Object[] items = new Object[chunkSize];
        int count = 0;
        try {
            while (count < chunkSize && source.hasNext()) {
                items[count++] = source.next();
            }
            // Asking now, rather than with the next chunk, lets the last chunk's result end the job.
            exhausted = count < chunkSize || !source.hasNext();
        } catch (final RuntimeException | Error e) {
            // The caller's own iterator failed: the call fails with its exception, as in Python.
            exhausted = true;
            fail(e);
            return null;
        }
        if (count == 0) {
            if (finished() && stream != null) {
                stream.end();
            } else if (finished()) {
                future.complete(Arrays.asList(values));
            }
            return null;
        }
        final ChunkTask chunk = new ChunkTask(this, chunkId, chunksProduced++, nextOffset,
            count == chunkSize ? items : Arrays.copyOf(items, count));
        nextOffset += count;
        return chunk;
    }

    @Override
    boolean exhausted() {
        return exhausted;
    }

    @Override
    void complete(final ChunkTask chunk, final Object[] chunkValues) {
        chunksDone++;
        if (stream != null) {
            stream.deliver(chunk.index, chunkValues);
            if (finished()) {
                stream.end();
            }
            return;
        }
        for (final Object value : chunkValues) {
            if (value instanceof PoolProtocol.Failed failed) {
                // Python's map raises the first failure it meets and the other results are lost.
                future.completeExceptionally(failed.failure());
                return;
            }
        }
        System.arraycopy(chunkValues, 0, values, (int) chunk.offset, chunkValues.length);
        if (finished()) {
            future.complete(Arrays.asList(values));
        }
    }

    @Override
    void fail(final Throwable failure) {
        if (stream != null) {
            stream.fail(failure);
        } else {
            future.completeExceptionally(failure);
        }
    }

    @Override
    boolean isDone() {
        return stream != null ? stream.isClosed() : future.isDone();
    }

    /** The consumer's side of an imap; the driver thread delivers, any one thread consumes. */
    static final class Stream implements ResultIterator<Object> {
        private final boolean ordered;
        private final Runnable onWindowOpen;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Map<Integer, Object[]> byIndex = new HashMap<>();
        private final ArrayDeque<Object[]> arrived = new ArrayDeque<>();
        private int nextIndex;
        private Object[] current;
        private int position;
        private boolean ended;
        private boolean closed;
        private Throwable failure;
        /** Chunks the consumer has finished with; the driver reads it to open the window. */
        private volatile int consumed;
        /** Set by the driver when the window stopped it, so the consumer knows to wake it. */
        private volatile boolean windowBlocked;

        Stream(final boolean ordered, final Runnable onWindowOpen) {
            this.ordered = ordered;
            this.onWindowOpen = onWindowOpen;
        }

        boolean windowAllows(final int produced, final int window) {
            if (produced - consumed < window) {
                return true;
            }
            windowBlocked = true;
            // Re-check: the consumer may have consumed between the read and the flag.
            if (produced - consumed < window) {
                windowBlocked = false;
                return true;
            }
            return false;
        }

        void deliver(final int index, final Object[] values) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (ordered) {
                    byIndex.put(index, values);
                } else {
                    arrived.add(values);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void end() {
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void fail(final Throwable cause) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = cause;
                }
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean isClosed() {
            return closed || failure != null;
        }

        @Override
        public boolean hasNext() {
            try {
                return awaitNext();
            } finally {
                wakeDriverIfWindowOpened();
            }
        }

        private boolean awaitNext() {
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return false;
                    }
                    if (current != null && position < current.length) {
                        return true;
                    }
                    if (current != null) {
                        current = null;
                        finishedChunk();
                    }
                    final Object[] next = ordered ? byIndex.remove(nextIndex) : arrived.poll();
                    if (next != null) {
                        nextIndex++;
                        current = next;
                        position = 0;
                        continue;
                    }
                    if (failure != null) {
                        return true; // next() throws it
                    }
                    if (ended && byIndex.isEmpty() && arrived.isEmpty()) {
                        return false;
                    }
                    changed.await();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the next result");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Object next() {
            try {
                return take();
            } finally {
                wakeDriverIfWindowOpened();
            }
        }

        private Object take() {
            lock.lock();
            try {
                if (!awaitNext()) {
                    throw new NoSuchElementException("no more results");
                }
                if (current == null) {
                    final Throwable cause = failure;
                    failure = null;
                    ended = true;
                    closed = true;
                    throw cause instanceof RuntimeException runtime ? runtime : new TaskFailedException(
                        "the call failed: " + cause, cause);
                }
                final Object value = current[position++];
                if (value instanceof PoolProtocol.Failed failed) {
                    throw failed.failure() instanceof RuntimeException runtime ? runtime
                        : new TaskFailedException("task failed: " + failed.failure(), failed.failure());
                }
                return value;
            } finally {
                lock.unlock();
            }
        }

        private void finishedChunk() {
            consumed++;
        }

        /**
         * Outside the lock: waking the driver puts into the result queue, which may wait for the
         * driver to drain it, and the driver may be waiting for this lock to deliver.
         */
        private void wakeDriverIfWindowOpened() {
            if (windowBlocked) {
                windowBlocked = false;
                onWindowOpen.run();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                byIndex.clear();
                arrived.clear();
                current = null;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            onWindowOpen.run();
        }
    }
}
