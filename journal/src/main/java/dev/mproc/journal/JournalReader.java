package dev.mproc.journal;

import java.util.concurrent.TimeUnit;

import dev.mproc.core.CodecException;
import dev.mproc.core.WaitStrategy;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Replays a {@link DurableQueue}: reads its messages in order from where it was opened (the start,
 * or an index), then follows new ones as they are appended. A reader persists nothing and takes
 * nothing away from consumers: any number of readers may read the same messages.
 * <p>
 * One thread at a time.
 * <p>
 * Memory consistency effects: actions in a thread before it appends a message <i>happen-before</i>
 * the actions after a read of that message returns.
 *
 * @param <T> the type of the values
 */
public final class JournalReader<T> implements AutoCloseable {
    private final DurableQueue<T> queue;
    private final ExcerptTailer tailer;
    private final ExcerptCopy copy;
    private final WaitStrategy waitStrategy;
    private long lastIndex = -1;
    private boolean closed;

    private JournalReader(final DurableQueue<T> queue) {
        this.queue = queue;
        this.tailer = queue.log().tailer();
        this.copy = new ExcerptCopy(queue.directory());
        this.waitStrategy = queue.newWaitStrategy();
    }

    static <T> JournalReader<T> fromStart(final DurableQueue<T> queue) {
        return new JournalReader<>(queue);
    }

    static <T> JournalReader<T> fromIndex(final DurableQueue<T> queue, final long index) {
        final JournalReader<T> reader = new JournalReader<>(queue);
        if (!reader.tailer.moveToIndex(index)) {
            final JournalInfo info = queue.log().info();
            reader.tailer.close();
            throw new IllegalArgumentException(queue.directory() + ": no message has index " + index
                + " (0x" + Long.toHexString(index) + "): stored first=" + info.firstIndex() + " last=" + info.lastIndex()
                + " count=" + info.count());
        }
        return reader;
    }

    /**
     * Reads the next message, if there is one now.
     *
     * @return the value, or null if the reader is at the end
     * @throws CodecException         if the codec refuses the message (the reader moves past it)
     * @throws JournalFormatException if the excerpt was not written by a journal (the reader moves past it)
     */
    public T poll() {
        checkOpen();
        return readNext() ? copy.decode(queue.codec()) : null;
    }

    /**
     * Reads the next message at once if there is one (no wait strategy entered), else waits for
     * one on the journal's wake word.
     *
     * @return true once the next message's bytes are held, false if the timeout passed first
     */
    private boolean awaitNext(final long timeoutNanos) throws InterruptedException {
        return readNext() || waitStrategy.await(queue.wakeWord(), this::readNext, timeoutNanos, true);
    }

    /** Moves to the next message and holds its bytes, if there is one now. */
    private boolean readNext() {
        if (!copy.readNext(tailer)) {
            return false;
        }
        lastIndex = copy.index();
        return true;
    }

    /**
     * Reads the next message, waiting up to {@code timeout} for one.
     *
     * @param timeout how long to wait at most
     * @param unit    its unit
     * @return the value, or null if none came in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        checkOpen();
        return awaitNext(Math.max(0, unit.toNanos(timeout))) ? copy.decode(queue.codec()) : null;
    }

    /**
     * Reads the next message, waiting as long as it takes.
     *
     * @return the value
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public T take() throws InterruptedException {
        checkOpen();
        awaitNext(WaitStrategy.FOREVER);
        return copy.decode(queue.codec());
    }

    /** @return the index of the message read last, or -1 before the first */
    public long lastIndex() {
        return lastIndex;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader of " + queue.directory() + " is closed");
        }
    }

    /** Closes this reader. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.forget(this);
        tailer.close();
    }

    @Override
    public String toString() {
        return "JournalReader[" + queue.directory() + ", lastIndex=" + lastIndex + (closed ? ", closed]" : "]");
    }
}
