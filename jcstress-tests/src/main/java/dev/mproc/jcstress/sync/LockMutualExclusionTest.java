package dev.mproc.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.Lock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes" each take the lock through their own handle (their own mapping of the lock
 * file), increment a plain field, and unlock: the increments are mutually excluded (no update is
 * lost, exactly one sees the other's) and the unlock publishes the plain write to the next holder.
 * The field is not volatile, so the lock's memory effects are all that orders the two increments.
 */
@JCStressTest
@Description("Lock excludes two holders on two mappings of its file; unlock publishes to the next lock")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "A held the lock first, then B")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "B held the lock first, then A")
@Outcome(id = {"0, 0, 1", "0, 0, 2"}, expect = FORBIDDEN, desc = "both were inside at once: an update was lost or unordered")
@Outcome(expect = FORBIDDEN, desc = "anything else, e.g. a stale read after taking the lock")
@State
public class LockMutualExclusionTest {
    private static final PairPool<Lock> LOCKS = SyncPairs.locks();

    private final PairPool.Lease<Lock> lease = LOCKS.lease(1);
    private final Lock a = lease.a();
    private final Lock b = lease.b();
    private int x;

    @Actor
    public void processA(final III_Result r) {
        r.r1 = increment(a);
    }

    @Actor
    public void processB(final III_Result r) {
        r.r2 = increment(b);
    }

    /** @return the value this actor found */
    private int increment(final Lock lock) {
        lock.lock();
        try {
            final int seen = x;
            x = seen + 1;
            return seen;
        } finally {
            lock.unlock();
        }
    }

    @Arbiter
    public void after(final III_Result r) {
        r.r3 = x;
        lease.done();
    }
}
