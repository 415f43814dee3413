package dev.mproc.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.RLock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes" each take the re-entrant lock twice through their own handle, increment a plain
 * field, give back one hold, increment it again, and give back the other: the lock stays held
 * (and exclusive) until the last hold is given back, and the hold count reads 2, 1, 0 along the
 * way. A release of the first hold that freed the lock would let the other actor in during the
 * second increment: a lost update, or a first read that is neither 0 nor 2.
 * <p>
 * Hold counts are reported as one number per actor: 100 x (holds after two locks) + 10 x (after
 * one unlock) + (after both), so 210 when they are right.
 */
@JCStressTest
@Description("RLock stays exclusive across re-entry and a partial unlock, on two mappings of its file")
@Outcome(id = "210, 210, 0, 2, 4", expect = ACCEPTABLE, desc = "A held it first, then B")
@Outcome(id = "210, 210, 2, 0, 4", expect = ACCEPTABLE, desc = "B held it first, then A")
@Outcome(expect = FORBIDDEN, desc = "wrong hold counts, both inside at once, or a lost or stale update")
@State
public class RLockReentrantExclusionTest {
    private static final PairPool<RLock> RLOCKS = SyncPairs.rlocks();

    private final PairPool.Lease<RLock> lease = RLOCKS.lease(1);
    private final RLock a = lease.a();
    private final RLock b = lease.b();
    private int x;

    @Actor
    public void processA(final IIIII_Result r) {
        final int[] seenAndHolds = incrementTwiceReentrantly(a);
        r.r3 = seenAndHolds[0];
        r.r1 = seenAndHolds[1];
    }

    @Actor
    public void processB(final IIIII_Result r) {
        final int[] seenAndHolds = incrementTwiceReentrantly(b);
        r.r4 = seenAndHolds[0];
        r.r2 = seenAndHolds[1];
    }

    /** @return the value of x this actor found on entering, and its hold counts as 100/10/1 digits */
    private int[] incrementTwiceReentrantly(final RLock lock) {
        lock.lock();
        final int seen;
        int holds;
        try {
            lock.lock();
            try {
                seen = x;
                x = seen + 1;
                holds = 100 * lock.getHoldCount();
            } finally {
                lock.unlock();
            }
            holds += 10 * lock.getHoldCount();
            // Still held once: the other actor must not be inside now.
            x = x + 1;
        } finally {
            lock.unlock();
        }
        holds += lock.getHoldCount();
        return new int[] {seen, holds};
    }

    @Arbiter
    public void after(final IIIII_Result r) {
        r.r5 = x;
        lease.done();
    }
}
