package dev.mproc.process;

/**
 * One message's worth of work of a {@link PoolJob}: a chunk of a map, or one call. Owned by the
 * pool's driver thread.
 */
final class ChunkTask {
    final PoolJob job;
    final long chunkId;
    /** Position of this chunk among its job's chunks. */
    final int index;
    /** Position of the first item among the job's items. */
    final long offset;
    /** The items, kept until the result arrives so the chunk can go to another worker. */
    final Object[] items;
    /** Bytes this chunk (and the definition sent ahead of it) occupies in its worker's pipe. */
    int bytes;
    /** When it was put in its worker's batch, for {@link PoolDriver.WorkerHandle#measure}. */
    long sentNanos;
    PoolDriver.WorkerHandle worker;

    ChunkTask(final PoolJob job, final long chunkId, final int index, final long offset, final Object[] items) {
        this.job = job;
        this.chunkId = chunkId;
        this.index = index;
        this.offset = offset;
        this.items = items;
    }
}
