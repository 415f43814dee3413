package dev.mproc.jcstress.ipc;

import java.io.EOFException;

import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;
import dev.mproc.ipc.Queue;
import dev.mproc.ipc.SharedDouble;
import dev.mproc.ipc.SharedIntArray;
import dev.mproc.ipc.SharedLong;
import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.PairPool.Pair;

/**
 * The pools of the ipc tests: how each type is made with two handles on two mappings of its file,
 * and how a returned one is checked (and emptied) before it is lent again. One pool per test
 * class (a static field), so that a forked test JVM only ever makes the objects of the test it
 * runs.
 * <p>
 * Pipes and queues get the smallest ring, {@value #RING_BYTES} bytes: a message of more than a
 * quarter of it is sent in fragments, and a pipe or queue lent to state after state runs through
 * its ring every few states, so the tests cross the ring's end (with a padding record where a
 * record does not fit before it) over and over, at different offsets.
 */
final class IpcPairs {
    /** Bytes of each ring: the smallest a pipe or queue accepts. */
    static final int RING_BYTES = 1024;

    /**
     * More messages than any test leaves behind: a pipe or queue that still has some after this
     * many were drained is retired, not lent.
     */
    private static final int MAX_LEFT_OVER = 16;

    private IpcPairs() {
    }

    /**
     * One-way pipes. {@code Pipe.create} maps the file twice: the left end, which receives, on the
     * mapping that created the file ({@link Pair#a()}), the right end, which sends, on a second
     * mapping attached to it ({@link Pair#b()}). So the two ends are already two processes in
     * miniature, and a pair costs two mappings, not the four that a second {@code Pipe.attach}
     * would add: a continuous test keeps some 12,000 pairs alive (see {@link PairPool}), and a
     * process may hold at most 65,530 mappings by default ({@code vm.max_map_count}). Each end
     * is used by its one handle only, so no end is ever taken over.
     *
     * @return a pool of pipes; one comes back idle once its ring is drained, which the check
     *         does itself (a Termination test leaves messages behind)
     */
    static PairPool<Connection> pipes() {
        return new PairPool<>(
            namespace -> {
                final Pipe pipe = Pipe.builder().capacity(RING_BYTES).duplex(false).create(namespace);
                return new Pair<>(pipe.left(), pipe.right());
            },
            pair -> drained(pair.a()),
            Connection::close);
    }

    /**
     * Queues of longs: handle A made by {@code create}, handle B by {@code attach} of its file.
     *
     * @return a pool of queues; one comes back idle once drained, which the check does itself
     */
    static PairPool<Queue<Long>> queues() {
        return new PairPool<>(
            namespace -> {
                final Queue<Long> a = Queue.<Long>builder().capacity(RING_BYTES).create(namespace);
                return new Pair<>(a, Queue.<Long>attach(a.file()));
            },
            pair -> drained(pair.a()),
            Queue::close);
    }

    /**
     * A shared long and a two-element shared int array per pair, handle B of each attached to
     * handle A's file: four mappings per pair, some 48,000 at the 12,000 pairs a continuous test
     * keeps alive, still under the default limit of 65,530 per process.
     *
     * @return a pool of counters, handed out zeroed
     */
    static PairPool<Counters> counters() {
        return new PairPool<>(
            namespace -> {
                final Counters a = new Counters(SharedLong.create(namespace, 0), SharedIntArray.create(namespace, 2));
                return new Pair<>(a, new Counters(SharedLong.attach(a.count().file()),
                    SharedIntArray.attach(a.cells().file())));
            },
            pair -> {
                final Counters a = pair.a();
                a.count().set(0);
                a.cells().set(0, 0);
                a.cells().set(1, 0);
                final Counters b = pair.b();
                return b.count().get() == 0 && b.cells().get(0) == 0 && b.cells().get(1) == 0;
            },
            Counters::close);
    }

    /**
     * @return a pool of shared doubles (handle B attached to A's file), handed out at +0.0
     */
    static PairPool<SharedDouble> doubles() {
        return new PairPool<>(
            namespace -> {
                final SharedDouble a = SharedDouble.create(namespace, 0.0);
                return new Pair<>(a, SharedDouble.attach(a.file()));
            },
            pair -> {
                pair.a().set(0.0);
                return Double.doubleToRawLongBits(pair.b().get()) == 0;
            },
            SharedDouble::close);
    }

    /**
     * Receives (and drops) what a pipe still holds. The ring is quiescent: every user of the
     * previous lease has returned, so {@code poll()} finding a message means it is whole and
     * {@code recvBytes()} will not wait.
     *
     * @return true if the ring is now empty
     * @throws IllegalStateException if a receive fails: the state's constructor then fails,
     *         loudly (a corrupt ring throws too, from the receive itself)
     */
    private static boolean drained(final Connection receiver) {
        try {
            for (int i = 0; i < MAX_LEFT_OVER && receiver.poll(); i++) {
                receiver.recvBytes();
            }
            return !receiver.poll();
        } catch (final EOFException | InterruptedException e) {
            // Neither can happen to a live, open pipe that poll() says holds a message.
            throw new IllegalStateException("draining " + receiver + " for its next lease", e);
        }
    }

    /**
     * Takes (and drops) what a queue still holds.
     *
     * @return true if the queue is now empty
     */
    private static boolean drained(final Queue<Long> queue) {
        for (int i = 0; i < MAX_LEFT_OVER && queue.poll() != null; i++) {
            // dropped: a Termination test may leave a value behind
        }
        return queue.isEmpty();
    }

    /**
     * One "process"'s handles on a pair's shared long and shared int array.
     *
     * @param count a shared long
     * @param cells a shared int array of two elements
     */
    record Counters(SharedLong count, SharedIntArray cells) {
        /** Unmaps both handles. */
        void close() {
            try {
                count.close();
            } finally {
                cells.close();
            }
        }
    }
}
