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
import dev.mproc.sync.Lock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@code lock()} blocked on mapping A returns once the holder unlocks through mapping B. The
 * state's constructor and the signal run in the same jcstress thread, so that thread takes the
 * lock through B first and gives it back in the signal; the waiter is spinning, going to sleep or
 * asleep on the futex by then. The holder's plain write before unlocking must be visible to the
 * waiter once it has the lock (else it throws: an error, forbidden).
 */
@JCStressTest(Mode.Termination)
@Description("Lock.unlock through mapping B releases a lock() blocked on mapping A")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter took the lock and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the holder threw, or the waiter missed the holder's write")
@State
public class LockBlockedUnlockTest {
    private static final PairPool<Lock> LOCKS = SyncPairs.locks();

    private final PairPool.Lease<Lock> lease;
    private final Lock a;
    private final Lock b;
    private int data;

    public LockBlockedUnlockTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = LOCKS.lease(2);
        a = lease.a();
        b = lease.b();
        b.lock();
    }

    @Actor
    public void waiter() {
        a.lock();
        try {
            if (data != 42) {
                throw new IllegalStateException("took the lock but missed the holder's write: " + data);
            }
        } finally {
            a.unlock();
        }
        lease.done();
    }

    @Signal
    public void unlock() {
        data = 42;
        b.unlock();
        lease.done();
    }
}
