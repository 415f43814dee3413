package dev.mproc.process;

import java.util.concurrent.CompletableFuture;

/**
 * {@code apply}, {@code applyAsync}, {@code submit}: one callable, sent whole in a CALL message.
 */
final class CallJob extends PoolJob {
    final byte[] callable;
    final CompletableFuture<Object> future;
    /** The task as the user gave it, for {@code shutdownNow}'s list of tasks never started. */
    final Object original;
    private boolean produced;

    CallJob(final byte[] callable, final CompletableFuture<Object> future, final Object original) {
        super(0, null);
        this.callable = callable;
        this.future = future;
        this.original = original;
    }

    @Override
    ChunkTask nextChunk(final long chunkId) {
        if (produced || future.isDone()) {
            return null;
        }
        produced = true;
        chunksProduced = 1;
        return new ChunkTask(this, chunkId, 0, 0, null);
    }

    @Override
    boolean exhausted() {
        return produced;
    }

    @Override
    void complete(final ChunkTask chunk, final Object[] values) {
        chunksDone++;
        final Object value = values.length == 1 ? values[0] : null;
        if (value instanceof PoolProtocol.Failed failed) {
            future.completeExceptionally(failed.failure());
        } else {
            future.complete(value);
        }
    }

    @Override
    void fail(final Throwable failure) {
        future.completeExceptionally(failure);
    }

    @Override
    boolean isDone() {
        return future.isDone();
    }

    boolean started() {
        return produced;
    }
}
