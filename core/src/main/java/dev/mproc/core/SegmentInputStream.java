package dev.mproc.core;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Reads a {@link MemorySegment} as an {@link InputStream}, so that {@link JavaSerialisation} can
 * decode straight from shared memory.
 *
 * <p>Why not copy to a {@code byte[]} first: a serialised payload may be large, and the copy
 * would double the memory and the time for nothing. The stream keeps no reference beyond the
 * decode that made it, as the {@link Codec} contract requires, and reports its position so
 * that errors can say where a stream broke and whether bytes trail the object.
 */
final class SegmentInputStream extends PayloadInputStream {
    private final MemorySegment segment;
    private long position;

    SegmentInputStream(final MemorySegment segment) {
        this.segment = segment;
    }

    @Override
    long position() {
        return position;
    }

    @Override
    long remaining() {
        return segment.byteSize() - position;
    }

    @Override
    public int read() {
        if (position >= segment.byteSize()) {
            return -1;
        }
        return segment.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        final long left = remaining();
        if (left <= 0) {
            return -1;
        }
        final int n = (int) Math.min(len, left);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(final long n) {
        final long skipped = Math.max(0, Math.min(n, remaining()));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining(), Integer.MAX_VALUE);
    }
}
