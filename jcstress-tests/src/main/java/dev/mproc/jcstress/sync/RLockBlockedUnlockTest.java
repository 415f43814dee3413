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
import dev.mproc.sync.RLock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * As {@link LockBlockedUnlockTest} for the re-entrant lock, held twice through mapping B: the
 * first unlock must not release it (the waiter on mapping A must then still be outside, or it
 * throws), the second must, and must wake the waiter.
 */
@JCStressTest(Mode.Termination)
@Description("RLock released by its last unlock through mapping B releases a lock() blocked on mapping A")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter took the lock after the last unlock")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the holder threw, or the waiter got in before the last unlock")
@State
public class RLockBlockedUnlockTest {
    private static final PairPool<RLock> RLOCKS = SyncPairs.rlocks();

    private final PairPool.Lease<RLock> lease;
    private final RLock a;
    private final RLock b;
    /** 1 while the holder still has one hold left, 2 once it is about to give back the last. */
    private int stage;

    public RLockBlockedUnlockTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = RLOCKS.lease(2);
        a = lease.a();
        b = lease.b();
        b.lock();
        b.lock();
    }

    @Actor
    public void waiter() {
        a.lock();
        try {
            if (stage != 2 || a.getHoldCount() != 1) {
                throw new IllegalStateException("inside at stage " + stage + " with " + a.getHoldCount() + " holds");
            }
        } finally {
            a.unlock();
        }
        lease.done();
    }

    @Signal
    public void unlock() {
        stage = 1;
        b.unlock();
        if (b.getHoldCount() != 1) {
            throw new IllegalStateException("holder has " + b.getHoldCount() + " holds after one of two unlocks");
        }
        stage = 2;
        b.unlock();
        lease.done();
    }
}
