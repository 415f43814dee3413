package dev.mproc.journal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.mproc.core.CodecException;
import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionException;
import dev.mproc.core.RegionKind;
import dev.mproc.core.WaitStrategy;
import dev.mproc.sync.Lock;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A handle on a named consumer of a {@link DurableQueue}: takes messages in order and commits them,
 * with the position kept in the journal directory so that it survives the handle, the process and
 * restarts. Consumers of different names are independent: each sees every message. Handles of the
 * same name, in one process or several, share the work: each message goes to one of them.
 * <p>
 * <b>Claims and commits.</b> {@link #poll()} (and {@link #poll(long, TimeUnit)}, {@link #take()})
 * <i>claims</i> a message: under the consumer's cross-process {@link Lock} ({@code
 * consumers/<name>.lock}) it moves the consumer's shared cursor (the last claimed index) past the
 * next message in the log and records that message's index as pending in this handle's slot of
 * {@code consumers/<name>.pos} ({@link ConsumerLayout}). {@link #commit()} clears this handle's
 * pending list, under the same lock: the messages it took since its last commit are done and are
 * never delivered again, to any handle. Until then they are redelivered, to a handle of the same
 * name, if this handle closes ({@link #close()} returns its claims), or if its process dies: any
 * handle that opens or claims finds the dead owner (process id plus start time, checked at most
 * every 100 ms per handle) and takes over its pending messages, lowest index first, before new
 * ones. Delivery is therefore at-least-once between commit points, and exactly once for a message
 * taken and committed by a live handle. A consumer restarted after a crash resumes with the
 * messages its previous incarnation took and did not commit, then continues after the cursor.
 * <p>
 * A message whose bytes the codec refuses is still claimed ({@link CodecException} is thrown):
 * commit to skip it. An excerpt not written by a {@link DurableQueue} ({@link JournalFormatException})
 * is skipped for every handle of the name. A handle may hold at most
 * {@value ConsumerLayout#MAX_PENDING} uncommitted messages; at most {@value ConsumerLayout#SLOTS}
 * handles of one name may be open at once.
 * <p>
 * One thread at a time per handle (open one handle per thread).
 * <p>
 * Waiting ({@link #take()}, {@link #poll(long, TimeUnit)}) is the journal's: see "Waiting" in
 * {@link DurableQueue}. Appends and a closing handle of the name wake a sleeping handle; messages
 * left by a handle whose process died are found at the next claim, within one sleep slice.
 * <p>
 * Memory consistency effects: actions before an append <i>happen-before</i> the actions after the
 * claim that delivers that message returns. Actions of a thread before {@link #commit()} (or
 * before a claim) <i>happen-before</i> the actions after any later claim or commit by any handle of
 * the same name in any process, through the consumer's lock.
 *
 * @param <T> the type of the values
 */
public final class DurableConsumer<T> implements AutoCloseable {
    /** Region kind of a consumer's state file. */
    static final RegionKind KIND = RegionKind.of("JCON");
    /** Consumer names: letters, digits, '.', '_', '-', starting with a letter or digit, at most 64. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** How often a handle looks for dead owners of the other slots (it reads /proc to do so). */
    private static final long LIVENESS_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** {@link #tailerAfter} when the tailer's position is not known. */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final DurableQueue<T> queue;
    private final String name;
    private final Lock lock;
    private final ConsumerState state;
    private final ExcerptTailer tailer;
    private final ExcerptCopy copy;
    private final WaitStrategy waitStrategy;
    /** The index the tailer read last, or NONE: where it stands without a reposition. */
    private long tailerAfter = ConsumerLayout.NONE;
    private long lastIndex = ConsumerLayout.NONE;
    private long nextLivenessScan;
    private boolean closed;

    private DurableConsumer(final DurableQueue<T> queue, final String name, final Lock lock, final ConsumerState state) {
        this.queue = queue;
        this.name = name;
        this.lock = lock;
        this.state = state;
        this.tailer = queue.log().tailer();
        this.copy = new ExcerptCopy(queue.directory());
        this.waitStrategy = queue.newWaitStrategy();
        this.nextLivenessScan = System.nanoTime() + LIVENESS_SCAN_NANOS;
    }

    static <T> DurableConsumer<T> open(final DurableQueue<T> queue, final String name) {
        checkName(name);
        final Namespace consumers = Namespace.attach(queue.directory().resolve(DurableQueue.CONSUMERS_DIRECTORY));
        final MappedRegion region;
        try {
            region = consumers.createOrAttachRegion(name + ".pos", KIND, ConsumerLayout.LAYOUT_VERSION,
                ConsumerLayout.LENGTH, ConsumerState::initialise);
        } catch (final RegionException e) {
            throw new JournalFormatException(queue.directory(), "the state of consumer " + name + " is refused: " + e.getMessage(), e);
        }
        final Lock lock;
        try {
            lock = Lock.create(consumers, name + ".lock");
        } catch (final RuntimeException e) {
            region.close();
            throw e;
        }
        final ConsumerState state;
        lock.lock();
        try {
            if (lock.previousHolderDied()) {
                ConsumerState.repair(region);
            }
            state = ConsumerState.claimSlot(region, name);
        } catch (final RuntimeException e) {
            region.close();
            lock.close();
            throw e;
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
        return new DurableConsumer<>(queue, name, lock, state);
    }

    /**
     * @param name a proposed consumer name
     * @throws IllegalArgumentException naming the name, if it is not a valid one
     */
    static void checkName(final String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid consumer name: \"" + name + "\" (letters, digits, '.', '_' and '-',"
                + " starting with a letter or digit, at most 64 characters; no path characters)");
        }
    }

    /**
     * Claims the next message, if there is one now: a message of a dead or closed handle of this
     * name first, else the next in the log.
     *
     * @return the value, or null if there is no message to take now
     * @throws CodecException         if the codec refuses the message (it stays claimed)
     * @throws JournalFormatException if the next excerpt was not written by a journal (it is skipped)
     * @throws IllegalStateException  if this handle already holds {@value ConsumerLayout#MAX_PENDING}
     *                                uncommitted messages, or is closed
     */
    public T poll() {
        checkOpen();
        return claim() ? copy.decode(queue.codec()) : null;
    }

    /**
     * Claims the next message, waiting up to {@code timeout} for one.
     *
     * @param timeout how long to wait at most
     * @param unit    its unit
     * @return the value, or null if none came in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        checkOpen();
        return awaitClaim(Math.max(0, unit.toNanos(timeout))) ? copy.decode(queue.codec()) : null;
    }

    /**
     * Claims the next message, waiting as long as it takes.
     *
     * @return the value
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public T take() throws InterruptedException {
        checkOpen();
        awaitClaim(WaitStrategy.FOREVER);
        return copy.decode(queue.codec());
    }

    /**
     * Claims the next message at once if there is one (no wait strategy entered), else waits for
     * one on the journal's wake word.
     *
     * @return true once a message is claimed, false if the timeout passed first
     */
    private boolean awaitClaim(final long timeoutNanos) throws InterruptedException {
        return claim() || waitStrategy.await(queue.wakeWord(), this::claim, timeoutNanos, true);
    }

    private boolean claim() {
        lock.lock();
        try {
            if (lock.previousHolderDied()) {
                state.repair();
            }
            final long now = System.nanoTime();
            if (now - nextLivenessScan >= 0) {
                state.abandonDeadOwners();
                nextLivenessScan = now + LIVENESS_SCAN_NANOS;
            }
            if (state.pendingCount() >= ConsumerLayout.MAX_PENDING) {
                throw new IllegalStateException("consumer " + name + " holds " + state.pendingCount()
                    + " uncommitted messages, the most one handle may: commit first");
            }
            long adopted;
            while ((adopted = state.adoptOne()) != ConsumerLayout.NONE) {
                if (tailer.moveToIndex(adopted) && copy.readNext(tailer)) {
                    tailerAfter = copy.index();
                    lastIndex = copy.index();
                    return true;
                }
                // Retention removed the message meanwhile: nothing left to redeliver.
                state.dropLastPending();
                tailerAfter = UNKNOWN;
            }
            positionAfter(state.lastClaimed());
            try {
                if (!copy.readNext(tailer)) {
                    return false;
                }
            } catch (final JournalFormatException e) {
                // Not a journal message: move the cursor past it so no handle stops on it again.
                state.skip(copy.index());
                tailerAfter = copy.index();
                throw e;
            }
            state.claimFromLog(copy.index());
            tailerAfter = copy.index();
            lastIndex = copy.index();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Puts the tailer just after {@code lastClaimed} (at the start for NONE), unless it is there. */
    private void positionAfter(final long lastClaimed) {
        if (tailerAfter == lastClaimed) {
            return;
        }
        if (lastClaimed == ConsumerLayout.NONE) {
            tailer.toStart();
        } else if (tailer.moveToIndex(lastClaimed)) {
            try (DocumentContext skipped = tailer.readingDocument()) {
                // Reading it moves the tailer past it.
                skipped.isPresent();
            }
        } else {
            // Retention removed the last claimed message: continue from the first still stored.
            tailer.toStart();
        }
        tailerAfter = lastClaimed;
    }

    /**
     * Commits every message this handle took since its last commit: none of them is delivered
     * again, to any handle of this name.
     */
    public void commit() {
        checkOpen();
        lock.lock();
        try {
            if (lock.previousHolderDied()) {
                state.repair();
            }
            state.commit();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many messages this handle took and has not committed */
    public int pending() {
        checkOpen();
        return state.pendingCount();
    }

    /** @return the index of the message this handle delivered last, or -1 */
    public long lastIndex() {
        return lastIndex;
    }

    /** @return the consumer's name */
    public String name() {
        return name;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("consumer " + name + " of " + queue.directory() + " is closed");
        }
    }

    /**
     * Closes this handle. Messages it took and did not commit go back to the consumer, to be
     * delivered again to a handle of this name. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.forget(this);
        try {
            lock.lock();
            try {
                state.release();
            } finally {
                lock.unlock();
            }
            // Its claims are now anyone's: a handle of the name asleep on an empty log takes them.
            queue.wakeWord().signalAll();
        } finally {
            state.close();
            lock.close();
            tailer.close();
        }
    }

    @Override
    public String toString() {
        return "DurableConsumer[" + name + " of " + queue.directory() + (closed ? ", closed]" : "]");
    }
}
