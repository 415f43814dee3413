package dev.mproc.ipc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting on several connections at once: Python's {@code multiprocessing.connection.wait}.
 */
/*
 * Why polling with backoff rather than one futex: each connection's ring has its own futex word,
 * and a thread can sleep on only one. So the waiter polls every connection, spinning for the
 * first 50 us (a message that comes while the peer is active is seen within a poll), then parks
 * for 50 us doubling up to 1 ms between rounds. A message arriving on an idle set of connections
 * is therefore seen within about a millisecond; callers that need microseconds on one connection
 * should block on that connection instead.
 */
public final class Connections {
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Connections() {
    }

    /**
     * Waits until at least one of {@code connections} is ready to receive without blocking (it has
     * a message, or its peer is gone so {@code recv} would throw EOFException), or the timeout
     * passes.
     *
     * @param connections receiving ends to watch (not empty)
     * @param timeout     how long to wait at most; 0 to check once
     * @param unit        its unit
     * @return the ready connections, in the order given; empty on timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if the collection is empty or an end cannot receive
     * @throws ChannelClosedException   if one of the handles is closed
     */
    public static List<Connection> waitAny(final Collection<Connection> connections, final long timeout,
                                           final TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(connections, "connections");
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("no connections to wait on");
        }
        for (final Connection connection : connections) {
            if (!Objects.requireNonNull(connection, "connection").canReceive()) {
                throw new IllegalArgumentException("cannot wait on an end that only sends: " + connection);
            }
        }
        final long start = System.nanoTime();
        final long timeoutNanos = Math.max(0, unit.toNanos(timeout));
        long park = MIN_PARK_NANOS;
        while (true) {
            final List<Connection> ready = new ArrayList<>();
            for (final Connection connection : connections) {
                if (connection.poll()) {
                    ready.add(connection);
                }
            }
            if (!ready.isEmpty()) {
                return ready;
            }
            final long elapsed = System.nanoTime() - start;
            if (elapsed >= timeoutNanos) {
                return ready;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (elapsed < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(park, timeoutNanos - elapsed));
                park = Math.min(MAX_PARK_NANOS, park * 2);
            }
        }
    }

    /**
     * As {@link #waitAny(Collection, long, TimeUnit)} without a timeout.
     *
     * @param connections receiving ends to watch
     * @return the ready connections (never empty)
     * @throws InterruptedException if interrupted while waiting
     */
    public static List<Connection> waitAny(final Collection<Connection> connections) throws InterruptedException {
        return waitAny(connections, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }
}
