package dev.mproc.journal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.mproc.core.Codec;
import dev.mproc.core.CodecException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * One reader's copy of the excerpt it read last: the message bytes are copied out of Chronicle's
 * mapped file into a private buffer (reused, grown to the largest message seen), so that decoding
 * happens after the excerpt is released and, for a consumer, outside its lock. Not thread-safe.
 */
final class ExcerptCopy {
    private final Path directory;
    private byte[] buffer = new byte[256];
    private MemorySegment segment = MemorySegment.ofArray(buffer);
    private int length;
    private long index = -1;

    /**
     * @param directory the journal directory, for messages
     */
    ExcerptCopy(final Path directory) {
        this.directory = directory;
    }

    /**
     * Reads the tailer's next excerpt (metadata excerpts are skipped by Chronicle) into the buffer.
     * An excerpt whose writer died before finishing it is never returned by Chronicle: its header
     * still says "not complete".
     *
     * @param tailer the tailer to read from
     * @return false if there is no complete excerpt to read now
     * @throws JournalFormatException if the excerpt was not written by a {@link DurableQueue};
     *                                the tailer has moved past it
     */
    boolean readNext(final ExcerptTailer tailer) {
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return false;
            }
            index = document.index();
            final Bytes<?> bytes = document.wire().bytes();
            final long total = bytes.readRemaining();
            if (total < 1 || total - 1 > ChronicleLog.MAX_EXCERPT_BYTES) {
                throw new JournalFormatException(directory, "excerpt at index " + index
                    + " has an impossible length: length=" + total);
            }
            final byte tag = bytes.readByte();
            if (tag != JournalMarkerLayout.MESSAGE_TAG) {
                throw new JournalFormatException(directory, "excerpt at index " + index
                    + " was not written by a DurableQueue: first byte=" + tag + " expected=" + JournalMarkerLayout.MESSAGE_TAG);
            }
            final int payload = (int) (total - 1);
            if (payload > buffer.length) {
                buffer = new byte[Math.max(payload, buffer.length * 2)];
                segment = MemorySegment.ofArray(buffer);
            }
            final int copied = payload == 0 ? 0 : bytes.read(buffer, 0, payload);
            if (copied != payload) {
                throw new JournalFormatException(directory, "short read of the excerpt at index " + index
                    + ": copied=" + copied + " length=" + payload);
            }
            length = payload;
            return true;
        }
    }

    /** @return the index of the excerpt read last */
    long index() {
        return index;
    }

    /**
     * @param codec the journal's codec
     * @param <T>   the value type
     * @return the value of the excerpt read last
     * @throws CodecException if the codec refuses the bytes, naming the index
     */
    <T> T decode(final Codec<T> codec) {
        final T value;
        try {
            value = codec.decode(segment.asSlice(0, length));
        } catch (final CodecException e) {
            throw new CodecException(directory + ": message at index " + index + " cannot be decoded: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new CodecException(directory + ": codec " + codec + " decoded the message at index " + index + " to null");
        }
        return value;
    }
}
