package dev.mproc.core;

import java.io.InputStream;

/**
 * A serialised payload as a stream that knows where it is, so that {@link JavaSerialisation}'s
 * errors can say where a stream broke and whether bytes trail the object.
 */
abstract class PayloadInputStream extends InputStream {

    /** @return bytes read so far */
    abstract long position();

    /** @return bytes left */
    abstract long remaining();

    /**
     * A payload in a heap array, read without the FFM API: a freshly started JVM decoding its
     * first value (a child's task) pays for the first memory-segment access (method handles
     * spun at run time, about 10-20 ms here) only when it uses shared memory, not before.
     */
    static final class OfArray extends PayloadInputStream {
        private final byte[] array;
        private final int start;
        private final int end;
        private int next;

        OfArray(final byte[] array, final int offset) {
            this.array = array;
            this.start = offset;
            this.end = array.length;
            this.next = offset;
        }

        @Override
        long position() {
            return next - start;
        }

        @Override
        long remaining() {
            return end - next;
        }

        @Override
        public int read() {
            return next < end ? array[next++] & 0xFF : -1;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (next >= end) {
                return -1;
            }
            final int n = Math.min(len, end - next);
            System.arraycopy(array, next, b, off, n);
            next += n;
            return n;
        }

        @Override
        public long skip(final long n) {
            final int skipped = (int) Math.max(0, Math.min(n, remaining()));
            next += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return end - next;
        }
    }
}
