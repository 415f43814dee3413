package dev.mproc.core;

import java.lang.foreign.MemorySegment;

/**
 * Turns values into bytes that another process can turn back into an equal value: the SPI
 * through which every queue, pipe and task moves objects across shared memory.
 *
 * <p>Why an SPI: Java serialisation works for anything {@link java.io.Serializable} but is slow
 * and verbose; a user who sends millions of one message type can plug in a codec that writes
 * just the fields. {@link DefaultCodec} is used when none is given.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety.</b> One codec instance serves every thread of a process, so
 *       implementations must be thread-safe; the simplest way is to keep no mutable state.</li>
 *   <li><b>No nulls.</b> {@code null} is never passed to {@link #encode}; queues refuse it before
 *       a codec sees it. {@link #decode} must not return {@code null} for bytes that
 *       {@link #encode} produced.</li>
 *   <li><b>Appending.</b> {@link #encode} appends to the buffer after whatever is already in it
 *       (the caller may have written a header) and must not read, rewind or clear what was
 *       there. If it fails it throws {@link CodecException}; the caller then discards the
 *       buffer's contents from the point where the call started.</li>
 *   <li><b>Exact input.</b> {@link #decode} is given exactly the bytes that one call to
 *       {@link #encode} appended, no more and no fewer. The segment may be a slice of shared
 *       memory that is reused for another message as soon as {@code decode} returns, so an
 *       implementation must copy out what it needs and keep no reference to the segment (or to
 *       slices or buffers viewing it).</li>
 *   <li><b>Bad input.</b> Bytes that were not produced by {@code encode} (truncated, corrupt,
 *       from another codec) must give a {@link CodecException} naming what was wrong, never an
 *       {@link IndexOutOfBoundsException} escaping, an unbounded allocation, or a hang.</li>
 *   <li><b>Same codec on both sides.</b> The encoding is private to the codec; both processes
 *       must be configured with compatible codecs.</li>
 * </ul>
 *
 * @param <T> the type of value this codec encodes
 */
public interface Codec<T> {

    /**
     * Appends the encoding of {@code value} to {@code out}.
     *
     * @param value the value to encode, never {@code null}
     * @param out   the buffer to append to
     * @throws CodecException if the value cannot be encoded; the message names its class
     */
    void encode(T value, EncodingBuffer out);

    /**
     * Rebuilds a value from exactly the bytes one call to {@link #encode} produced.
     *
     * @param in the encoded bytes; may be a slice of shared memory, valid only during this call
     * @return the decoded value, never {@code null}
     * @throws CodecException if the bytes are not a valid encoding; the message names the tag,
     *                        the expected and actual lengths, or the limit exceeded
     */
    T decode(MemorySegment in);
}
