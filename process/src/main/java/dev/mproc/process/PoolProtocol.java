package dev.mproc.process;

import dev.mproc.core.Codec;
import dev.mproc.core.CodecException;
import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The messages between a {@link Pool} and its workers, and the codec that puts them on the
 * rings: each worker's task pipe carries parent-to-worker messages, the one result queue carries
 * the rest.
 *
 * <pre>
 * parent -> worker (task pipe)                worker -> parent (result queue)
 *   DEFINE  fnId, function                      READY       worker
 *   CHUNK   chunkId, fnId, count, item...       RESULT      worker, chunkId, count, value...
 *   CALL    chunkId, callable                   INIT_FAILED worker, failure
 *   RELEASE fnId                                EXITED      worker     (written by the parent)
 *   STOP                                        NUDGE                  (written by the parent)
 *   BATCH   count, (length, message)...
 *
 * every message starts with a one-byte tag; numbers little-endian;
 * function, callable, failure: int length, then the DefaultCodec's bytes
 * item, value: int length >= 0 then the DefaultCodec's bytes | -1 (null) | -2 then a failure
 *              | -3 then an int (an Integer) | -4 then a long (a Long) | -5 then a double
 * </pre>
 *
 * A BATCH carries several messages for one worker in one ring record: with small tasks, one
 * record (and at most one wake-up of a sleeping worker) per batch instead of per task.
 * Integers, longs and doubles, the items and results of most maps, skip the codec: a tag in
 * place of the length, then the number.
 * A function is sent once per worker per call ({@code DEFINE}) and chunks name it by id; the
 * worker forgets it on {@code RELEASE}. Items and values are framed one by one, so one that cannot
 * be decoded (or encoded, on the worker's side) fails only itself.
 */
final class PoolProtocol implements Codec<Object> {

    static final PoolProtocol INSTANCE = new PoolProtocol();

    private static final byte DEFINE = 1;
    private static final byte CHUNK = 2;
    private static final byte CALL = 3;
    private static final byte RELEASE = 4;
    private static final byte STOP = 5;
    private static final byte READY = 6;
    private static final byte RESULT = 7;
    private static final byte INIT_FAILED = 8;
    private static final byte EXITED = 9;
    private static final byte NUDGE = 10;
    private static final byte BATCH = 11;

    private static final int NULL_VALUE = -1;
    private static final int FAILED_VALUE = -2;
    private static final int INT_VALUE = -3;
    private static final int LONG_VALUE = -4;
    private static final int DOUBLE_VALUE = -5;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Tells a worker to define function {@code fnId}. */
    record Define(long fnId, byte[] function) {
    }

    /** Apply function {@code fnId} to each item. */
    record Chunk(long chunkId, long fnId, Object[] items) {
    }

    /** Run one {@code SerializableCallable}; its result is chunk {@code chunkId}'s one value. */
    record Call(long chunkId, byte[] callable) {
    }

    /** The call that used function {@code fnId} is over. */
    record Release(long fnId) {
    }

    /** Worker {@code worker} has attached and run its initializer. */
    record Ready(int worker) {
    }

    /** The values of chunk {@code chunkId}, in item order; a {@link Failed} where a task threw. */
    record Result(int worker, long chunkId, Object[] values) {
    }

    /** The initializer of worker {@code worker} threw. */
    record InitFailed(int worker, Throwable failure) {
    }

    /** Worker {@code worker}'s JVM has ended (sent by the parent on its behalf). */
    record Exited(int worker) {
    }

    /** One item whose task threw, or whose value could not travel. */
    record Failed(Throwable failure) {
    }

    /** Messages for one worker, handled in order. */
    record Batch(Object[] messages) {
    }

    /** A message (or batch) encoded earlier, sent as is. */
    record Encoded(MemorySegment bytes) {
    }

    /** Messages without fields. */
    enum Control {
        /** Worker: finish what was sent before, then exit. */
        STOP,
        /** Driver: something changed outside the result queue; look. */
        NUDGE
    }

    private PoolProtocol() {
    }

    @Override
    public void encode(final Object message, final EncodingBuffer out) {
        switch (message) {
            case Encoded encoded -> out.putSegment(encoded.bytes());
            case Chunk chunk -> {
                out.putByte(CHUNK);
                out.putLong(chunk.chunkId());
                out.putLong(chunk.fnId());
                putValues(chunk.items(), chunk.items().length, out, false);
            }
            case Result result -> {
                out.putByte(RESULT);
                out.putInt(result.worker());
                out.putLong(result.chunkId());
                putValues(result.values(), result.values().length, out, true);
            }
            case Define define -> {
                out.putByte(DEFINE);
                out.putLong(define.fnId());
                putBlob(define.function(), out);
            }
            case Call call -> {
                out.putByte(CALL);
                out.putLong(call.chunkId());
                putBlob(call.callable(), out);
            }
            case Release release -> {
                out.putByte(RELEASE);
                out.putLong(release.fnId());
            }
            case Ready ready -> {
                out.putByte(READY);
                out.putInt(ready.worker());
            }
            case InitFailed failed -> {
                out.putByte(INIT_FAILED);
                out.putInt(failed.worker());
                putFailure(failed.failure(), out);
            }
            case Exited exited -> {
                out.putByte(EXITED);
                out.putInt(exited.worker());
            }
            case Control control -> out.putByte(control == Control.STOP ? STOP : NUDGE);
            default -> throw new CodecException("not a pool message: " + message.getClass().getName());
        }
    }

    /** Starts a BATCH in {@code batch}, which must be empty; {@link #endBatch} fills in the count. */
    static void beginBatch(final EncodingBuffer batch) {
        batch.putByte(BATCH);
        batch.putInt(0);
    }

    /** Appends one encoded message to a batch begun with {@link #beginBatch}. */
    static void addToBatch(final EncodingBuffer batch, final MemorySegment message) {
        batch.putInt((int) message.byteSize());
        batch.putSegment(message);
    }

    static void endBatch(final EncodingBuffer batch, final int count) {
        batch.putIntAt(1, count);
    }

    /**
     * @param tolerant on the worker's side a value that cannot be encoded becomes a failure of
     *                 that one task; on the parent's side it is the caller's mistake and throws
     */
    static void putValues(final Object[] values, final int count, final EncodingBuffer out, final boolean tolerant) {
        out.putInt(count);
        final DefaultCodec codec = DefaultCodec.instance();
        for (int i = 0; i < count; i++) {
            final Object value = values[i];
            if (value == null) {
                out.putInt(NULL_VALUE);
            } else if (value.getClass() == Integer.class) {
                out.putInt(INT_VALUE);
                out.putInt((Integer) value);
            } else if (value.getClass() == Long.class) {
                out.putInt(LONG_VALUE);
                out.putLong((Long) value);
            } else if (value.getClass() == Double.class) {
                out.putInt(DOUBLE_VALUE);
                out.putDouble((Double) value);
            } else if (value instanceof Failed failed) {
                out.putInt(FAILED_VALUE);
                putFailure(failed.failure(), out);
            } else {
                final int at = out.length();
                out.putInt(0);
                try {
                    codec.encode(value, out);
                } catch (final CodecException e) {
                    if (!tolerant) {
                        throw new CodecException("item " + i + " of the chunk: " + e.getMessage(), e);
                    }
                    out.truncate(at);
                    out.putInt(FAILED_VALUE);
                    putFailure(new CodecException("the task's result cannot be sent back: " + e.getMessage(), e), out);
                    continue;
                }
                out.putIntAt(at, out.length() - at - Integer.BYTES);
            }
        }
    }

    private static void putFailure(final Throwable failure, final EncodingBuffer out) {
        final int at = out.length();
        out.putInt(0);
        Failures.encode(failure, out);
        out.putIntAt(at, out.length() - at - Integer.BYTES);
    }

    private static void putBlob(final byte[] blob, final EncodingBuffer out) {
        out.putInt(blob.length);
        out.putBytes(blob);
    }

    @Override
    public Object decode(final MemorySegment in) {
        final Reader reader = new Reader(in);
        final byte tag = reader.tag();
        final Object message = switch (tag) {
            case CHUNK -> new Chunk(reader.getLong(), reader.getLong(), reader.values());
            case RESULT -> new Result(reader.getInt(), reader.getLong(), reader.values());
            case DEFINE -> new Define(reader.getLong(), reader.blob());
            case CALL -> new Call(reader.getLong(), reader.blob());
            case RELEASE -> new Release(reader.getLong());
            case READY -> new Ready(reader.getInt());
            case INIT_FAILED -> new InitFailed(reader.getInt(), reader.failure());
            case EXITED -> new Exited(reader.getInt());
            case BATCH -> new Batch(reader.messages());
            case STOP -> Control.STOP;
            case NUDGE -> Control.NUDGE;
            default -> throw new CodecException("not a pool message: tag " + tag + ", " + in.byteSize() + " bytes");
        };
        reader.checkEnd(tag);
        return message;
    }

    /** Reads with a bounds check before every read, so a bad message is a CodecException. */
    private static final class Reader {
        private final MemorySegment in;
        private long position;

        Reader(final MemorySegment in) {
            this.in = in;
        }

        private void need(final long bytes) {
            if (bytes < 0 || in.byteSize() - position < bytes) {
                throw new CodecException("truncated pool message: need " + bytes + " bytes at offset " + position
                    + " of " + in.byteSize());
            }
        }

        byte tag() {
            need(1);
            return in.get(ValueLayout.JAVA_BYTE, position++);
        }

        int getInt() {
            need(Integer.BYTES);
            final int value = in.get(INT, position);
            position += Integer.BYTES;
            return value;
        }

        long getLong() {
            need(Long.BYTES);
            final long value = in.get(LONG, position);
            position += Long.BYTES;
            return value;
        }

        double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        byte[] blob() {
            final int length = getInt();
            need(length);
            final byte[] blob = in.asSlice(position, length).toArray(ValueLayout.JAVA_BYTE);
            position += length;
            return blob;
        }

        Throwable failure() {
            final int length = getInt();
            need(length);
            final Throwable failure = Failures.decode(in.asSlice(position, length));
            position += length;
            return failure;
        }

        Object[] values() {
            final int count = getInt();
            // Every value takes at least its 4-byte length: a count beyond that is corrupt, and
            // checking first keeps a bad count from allocating a huge array.
            if (count < 0 || (long) count * Integer.BYTES > in.byteSize() - position) {
                throw new CodecException("pool message claims " + count + " values in " + (in.byteSize() - position)
                    + " bytes");
            }
            final Object[] values = new Object[count];
            final DefaultCodec codec = DefaultCodec.instance();
            for (int i = 0; i < count; i++) {
                final int length = getInt();
                if (length < 0) {
                    values[i] = switch (length) {
                        case INT_VALUE -> getInt();
                        case LONG_VALUE -> getLong();
                        case DOUBLE_VALUE -> getDouble();
                        case NULL_VALUE -> null;
                        case FAILED_VALUE -> new Failed(failure());
                        default -> throw new CodecException("bad value tag " + length + " at offset "
                            + (position - Integer.BYTES) + " of a pool message of " + in.byteSize() + " bytes");
                    };
                    continue;
                }
                need(length);
                try {
                    values[i] = codec.decode(in.asSlice(position, length));
                } catch (final CodecException e) {
                    values[i] = new Failed(e);
                }
                position += length;
            }
            return values;
        }

        Object[] messages() {
            final int count = getInt();
            if (count < 0 || (long) count * Integer.BYTES > in.byteSize() - position) {
                throw new CodecException("batch claims " + count + " messages in " + (in.byteSize() - position) + " bytes");
            }
            final Object[] messages = new Object[count];
            for (int i = 0; i < count; i++) {
                final int length = getInt();
                need(length);
                messages[i] = INSTANCE.decode(in.asSlice(position, length));
                position += length;
            }
            return messages;
        }

        void checkEnd(final byte tag) {
            if (position != in.byteSize()) {
                throw new CodecException("pool message (tag " + tag + ") has " + (in.byteSize() - position)
                    + " bytes after its end");
            }
        }
    }
}
