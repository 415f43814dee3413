package dev.mproc.process;

import dev.mproc.core.EncodingBuffer;

import java.util.HashSet;
import java.util.Set;

/**
 * One call on a {@link Pool} (a map, an imap, an apply), as the driver thread sees it: a source
 * of chunks and a sink for their results. Only the driver thread calls these methods; the user's
 * side reads the job's future or stream, which are thread-safe.
 */
abstract class PoolJob {

    /** Id of the function every chunk applies, or 0 for a job of calls. */
    final long fnId;
    /** The DEFINE message for {@link #fnId}, encoded once, sent to each worker before its first chunk. */
    final EncodingBuffer definition;
    /** Workers that were sent {@link #definition}: they get a RELEASE when the job is over. */
    final Set<PoolDriver.WorkerHandle> definedOn = new HashSet<>();
    int chunksProduced;
    int chunksDone;

    PoolJob(final long fnId, final EncodingBuffer definition) {
        this.fnId = fnId;
        this.definition = definition;
    }

    /**
     * @param chunkId the id the chunk will have
     * @return the next chunk, or {@code null} if there is none now (input exhausted, window full,
     * job over)
     */
    abstract ChunkTask nextChunk(long chunkId);

    /** @return true once every chunk has been produced */
    abstract boolean exhausted();

    /**
     * @param chunk  a chunk of this job
     * @param values its values, {@code PoolProtocol.Failed} already holding {@link TaskFailedException}s
     */
    abstract void complete(ChunkTask chunk, Object[] values);

    /** Ends the job with {@code failure}, for every result not yet delivered. */
    abstract void fail(Throwable failure);

    /** @return true once the job has delivered its outcome or was cancelled */
    abstract boolean isDone();

    /** @return true once nothing more will be produced or is awaited */
    final boolean finished() {
        return isDone() || (exhausted() && chunksDone == chunksProduced);
    }
}
