package dev.mproc.process;

import java.util.Iterator;

/**
 * The results of {@link Pool#imap} or {@link Pool#imapUnordered}, as they arrive. The pool reads
 * the input only as far as the results are consumed (a bounded number of tasks in flight), so
 * the input may be endless; {@link #close()} says no more results are wanted and lets the pool
 * stop reading it.
 *
 * <p>{@link #next()} throws {@link TaskFailedException} for an item whose task threw (or
 * {@link WorkerDiedException} if its worker died), and iteration may continue past it, as in
 * Python. While waiting, an interrupt ends the wait with {@link java.util.concurrent.CancellationException}
 * and the thread's interrupt flag set.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R>, AutoCloseable {

    /**
     * Stops the call: no more input is read, results not yet taken are dropped, and
     * {@link #hasNext()} returns false. Tasks already with a worker run to their end.
     */
    @Override
    void close();
}
