package dev.mproc.jcstress.ipc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ipc tests send, and the result codes of a receiver that got something else.
 * <p>
 * Why stamps: a pipe or queue is lent to state after state, and its ring holds the bytes of
 * earlier states' messages wherever they were not yet overwritten. Were every state to send the
 * same contents, a receiver reading a stale record (a commit word not cleared, a position off by
 * a lap) would find exactly what it expected. So every state takes a stamp of its own, and every
 * message it sends carries it: a message from another state never passes for one of this state's.
 */
final class Messages {
    /** Result code: the actor caught an exception (printed to stderr, see {@link #threw}). */
    static final int THREW = -1;
    /** Result code: a message was not the one expected next (lost, duplicated, reordered, corrupt, stale). */
    static final int WRONG = -2;

    /** Exceptions printed per JVM: one is enough to diagnose, millions would drown the log. */
    private static final int MAX_REPORTS = 5;

    private static final AtomicLong STAMPS = new AtomicLong();
    private static final AtomicInteger REPORTS = new AtomicInteger();

    private Messages() {
    }

    /** @return a stamp no other state of this JVM has */
    static long nextStamp() {
        return STAMPS.incrementAndGet();
    }

    /**
     * @param stamp  the sending state's stamp
     * @param index  the message's place in what the state sends
     * @param length bytes, at least 9
     * @return bytes that only this (stamp, index) produces: the stamp (8 bytes, little-endian), the
     *         index, then a pattern of both, so that a torn or shifted copy differs too
     */
    static byte[] stamped(final long stamp, final int index, final int length) {
        if (length < Long.BYTES + 1) {
            throw new IllegalArgumentException("a stamped message needs at least 9 bytes: length=" + length);
        }
        final byte[] bytes = new byte[length];
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (stamp >>> (8 * i));
        }
        bytes[Long.BYTES] = (byte) index;
        for (int i = Long.BYTES + 1; i < length; i++) {
            bytes[i] = (byte) (stamp * 31 + index * 7 + i);
        }
        return bytes;
    }

    /**
     * Reports an exception an actor caught (the first few per JVM go to stderr, which
     * {@code JCStressGate} prints beside a failing test's outcomes).
     *
     * @param where which actor, doing what
     * @param e     what it caught
     * @return {@link #THREW}, for the actor's result
     */
    static int threw(final String where, final Throwable e) {
        if (REPORTS.incrementAndGet() <= MAX_REPORTS) {
            System.err.println("ipc jcstress test: " + where + " threw " + e);
            e.printStackTrace();
        }
        return THREW;
    }
}
