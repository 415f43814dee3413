package dev.mproc.jcstress.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.mproc.core.Namespace;

/**
 * Shared objects that make their own region files (locks, semaphores, events, ...), each with two
 * handles on two mappings of its file, lent to one jcstress state at a time: two processes in
 * miniature, for the {@code sync} types.
 * <p>
 * <b>Why two handles.</b> As in {@link TwoMappings}, each actor uses its own handle: the one made
 * by {@code X.create} ({@link Pair#a()}) or the one made by {@code X.attach(a.file())}
 * ({@link Pair#b()}), a second mapping of the same file at another virtual address, as a second
 * process would have.
 * <p>
 * <b>Why a pool.</b> A sync object cannot live in a {@link TwoMappings} slot: it makes its own
 * file. Making one (a file and two mappings) was measured at 30 to 100 us, against about a
 * microsecond for a jcstress sample, and jcstress makes a new state for every sample. Left to the
 * garbage collector, the mappings and the per-file bookkeeping of the sync types (which thread of
 * this process holds a lock) would also pile up by the million. So objects are made on demand, in
 * batches, and recycled: a state's constructor takes a {@link Lease} on a pair, and the pair goes
 * back to the pool when the last of the lease's users calls {@link Lease#done()}: the arbiter,
 * which jcstress runs after every actor of the state has returned, or in a Termination test the
 * actor and the signal. A pool grows to the most states alive at once: measured, 12,032 pairs
 * of locks per forked JVM (jcstress keeps up to 10,240 states, a few more while it sizes its
 * strides), made in 0.7 to 0.9 s of the JVM's 2.6 to 3.0. Taking the pair lazily, in the first
 * actor, and returning it from the last would keep fewer out (measured: 8,000) but put a CAS and
 * an atomic decrement into every actor; it saved no more than 4 s of a test's 35 s.
 * <p>
 * <b>Why reuse is safe.</b> A pair is lent again only after every user of its previous lease
 * declared it was done, so no two states ever share an object (a pair lent twice throws). As a
 * second line of defence the next lease checks the object is idle (a lock unlocked, all permits
 * back, ...) with the pool's {@code idle} predicate, which may also reset it (clear an event); a
 * pair that fails is retired (unmapped), never lent. A pair whose user never finishes (a waiter
 * stuck in a STALE Termination test, an actor that threw) is simply never returned.
 * <p>
 * <b>Why nothing is left in /dev/shm.</b> The pairs are made in one private {@link Namespace}
 * per JVM, and each batch's files are deleted as soon as the batch is mapped: mappings outlive
 * names. The namespace's empty directory is removed when the JVM exits (or swept by the next
 * {@code Namespace.createPrivate()} on the machine if the JVM was killed). So the handles must
 * never be asked to reopen their file (as {@code Lock.newCondition()} would): everything a test
 * needs is made by the pool's {@code maker}, while the files exist.
 * <p>
 * Failures are printed to stderr before they are thrown, where {@link JCStressGate} shows them
 * beside a failing test's outcomes.
 *
 * @param <T> the type of one handle
 */
public final class PairPool<T> {
    /** The most pairs made at once. */
    private static final int MAX_BATCH = 256;

    private final Function<Namespace, Pair<T>> maker;
    private final Predicate<Pair<T>> idle;
    private final Consumer<T> closer;
    private final ConcurrentLinkedQueue<Pair<T>> free = new ConcurrentLinkedQueue<>();
    private final AtomicLong made = new AtomicLong();

    /**
     * @param maker  makes both handles of a new object in the namespace it is given; the
     *               object's files are deleted right after
     * @param idle   true if a returned pair may be lent again, after resetting it if need be; it
     *               runs in the thread of the new state's constructor
     * @param closer unmaps one handle of a retired pair
     */
    public PairPool(final Function<Namespace, Pair<T>> maker, final Predicate<Pair<T>> idle, final Consumer<T> closer) {
        this.maker = maker;
        this.idle = idle;
        this.closer = closer;
    }

    /**
     * Lends a pair to a new state.
     *
     * @param users how many calls of {@link Lease#done()} return it to the pool
     * @return the lease: the two handles, and the way back to the pool
     */
    public Lease<T> lease(final int users) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1: " + users);
        }
        try {
            return new Lease<>(this, claim(), users);
        } catch (final RuntimeException | Error e) {
            report(e);
            throw e;
        }
    }

    private Pair<T> claim() {
        Pair<T> pair;
        while ((pair = free.poll()) != null) {
            if (idle.test(pair)) {
                return pair.lend();
            }
            closer.accept(pair.a());
            closer.accept(pair.b());
        }
        return make().lend();
    }

    /**
     * Makes a batch of pairs, returns one and frees the others, then deletes the batch's files.
     * The batch doubles with the pool (up to {@link #MAX_BATCH}): a Termination test, one state at
     * a time, makes a pair or two; a continuous test reaches its thousands in a few steps.
     * <p>
     * One thread at a time, JVM-wide: the files are deleted by listing the namespace, which must
     * not catch another batch between its create and its attach.
     */
    private Pair<T> make() {
        synchronized (PoolFiles.class) {
            final Namespace namespace = PoolFiles.NAMESPACE;
            final int batch = (int) Math.min(MAX_BATCH, Math.max(1, made.get()));
            final Pair<T> first;
            try {
                first = maker.apply(namespace);
                made.incrementAndGet();
                for (int i = 1; i < batch; i++) {
                    free.add(maker.apply(namespace));
                    made.incrementAndGet();
                }
            } finally {
                PoolFiles.deleteAll(namespace);
            }
            return first;
        }
    }

    /**
     * The JVM's namespace for pool files, made on first use (the jcstress host JVM, which only
     * lists and schedules tests, never makes it).
     * <p>
     * Why one namespace, left open: a private namespace per batch, closed after it, also removes
     * the shared {@code mproc-<user>} directory whenever it becomes empty, racing with any process
     * (this JVM's other threads included) that is just creating a namespace there; core's
     * {@code Namespace} threw "exists but is not a directory" on that race until commit 413a517.
     * One namespace for the JVM's life keeps the directory non-empty, and is cheaper. Each batch's
     * files are deleted as soon as it is mapped, so it stays empty; the shutdown hook of
     * {@link Namespace#createPrivate()} removes it when the JVM exits, and the next
     * {@code createPrivate()} on the machine sweeps it if the JVM was killed.
     */
    private static final class PoolFiles {
        static final Namespace NAMESPACE = Namespace.createPrivate();

        private PoolFiles() {
        }

        static void deleteAll(final Namespace namespace) {
            for (final String name : namespace.regionNames()) {
                try {
                    Files.deleteIfExists(namespace.pathOf(name));
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void report(final Throwable e) {
        System.err.println("PairPool: " + e);
        e.printStackTrace();
    }

    /**
     * @return how many pairs this pool made so far
     */
    public long made() {
        return made.get();
    }

    /**
     * Two handles on one object, each on its own mapping of the object's file.
     *
     * @param <T> the type of one handle
     */
    public static final class Pair<T> {
        private final T a;
        private final T b;
        /** True while lent: lending a pair already lent would be a bug of the pool. */
        private final AtomicBoolean lent = new AtomicBoolean();

        /**
         * @param a the handle that created the object: one "process"
         * @param b a handle attached to the same file: the other "process"
         */
        public Pair(final T a, final T b) {
            this.a = a;
            this.b = b;
        }

        /** @return the handle that created the object: one "process" */
        public T a() {
            return a;
        }

        /** @return a handle attached to the same file: the other "process" */
        public T b() {
            return b;
        }

        private Pair<T> lend() {
            if (!lent.compareAndSet(false, true)) {
                throw new IllegalStateException("pair lent twice: " + a);
            }
            return this;
        }

        private void giveBack(final ConcurrentLinkedQueue<Pair<T>> free) {
            if (!lent.compareAndSet(true, false)) {
                throw new IllegalStateException("pair returned but not lent: " + a);
            }
            free.add(this);
        }
    }

    /**
     * One state's use of a pair.
     *
     * @param <T> the type of one handle
     */
    public static final class Lease<T> {
        private final PairPool<T> pool;
        private final Pair<T> pair;
        private final AtomicInteger users;

        private Lease(final PairPool<T> pool, final Pair<T> pair, final int users) {
            this.pool = pool;
            this.pair = pair;
            this.users = new AtomicInteger(users);
        }

        /**
         * @return the handle of "process" A
         */
        public T a() {
            return pair.a();
        }

        /**
         * @return the handle of "process" B
         */
        public T b() {
            return pair.b();
        }

        /**
         * Declares that one user is done with the pair; the last one returns it to the pool. A
         * user must not touch either handle afterwards: another state may have it already.
         *
         * @throws IllegalStateException if called more times than there are users
         */
        public void done() {
            try {
                final int left = users.decrementAndGet();
                if (left == 0) {
                    pair.giveBack(pool.free);
                } else if (left < 0) {
                    throw new IllegalStateException("lease released more often than it has users");
                }
            } catch (final IllegalStateException e) {
                report(e);
                throw e;
            }
        }
    }
}
