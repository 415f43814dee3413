package dev.mproc.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.WaitChecks;
import dev.mproc.sync.Semaphore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An {@code acquire()} blocked on mapping A, the only permit being held through mapping B,
 * returns once it is released through B; the waiter then sees the releaser's earlier write (else
 * it throws: an error, forbidden) and gives the permit back.
 */
@JCStressTest(Mode.Termination)
@Description("Semaphore.release through mapping B releases an acquire() blocked on mapping A")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter got the permit and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the releaser threw, or the waiter missed the releaser's write")
@State
public class SemaphoreBlockedReleaseTest {
    private static final PairPool<Semaphore> SEMAPHORES = SyncPairs.semaphores(1);

    private final PairPool.Lease<Semaphore> lease;
    private final Semaphore a;
    private final Semaphore b;
    private int data;

    public SemaphoreBlockedReleaseTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = SEMAPHORES.lease(2);
        a = lease.a();
        b = lease.b();
        if (!b.tryAcquire()) {
            throw new IllegalStateException("the pool handed out a semaphore without its permit: " + b);
        }
    }

    @Actor
    public void waiter() throws InterruptedException {
        a.acquire();
        try {
            if (data != 42) {
                throw new IllegalStateException("got the permit but missed the releaser's write: " + data);
            }
        } finally {
            a.release();
        }
        lease.done();
    }

    @Signal
    public void release() {
        data = 42;
        b.release();
        lease.done();
    }
}
