package dev.mproc.jcstress.sync;

import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.Semaphore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A semaphore of one permit, taken by two "processes" through their own handles: each counts
 * itself in an occupancy counter while it holds the permit and reports how many it found inside
 * (itself included, so 1), and increments a plain field (no lost update: the release publishes
 * it to the next acquirer). Once both have released, all permits are back.
 */
@JCStressTest
@Description("Semaphore(1) admits one holder at a time across two mappings; all permits come back")
@Outcome(id = "1, 1, 2, 1", expect = ACCEPTABLE, desc = "one at a time; both increments kept; the permit is back")
@Outcome(id = {"2, 1, 2, 1", "1, 2, 2, 1", "2, 2, 2, 1", "1, 1, 1, 1", "2, 1, 1, 1", "1, 2, 1, 1", "2, 2, 1, 1"},
    expect = FORBIDDEN, desc = "two holders at once, or a lost update")
@Outcome(expect = FORBIDDEN, desc = "permits not back to 1 after both released, or an acquire was interrupted (-1)")
@State
public class SemaphoreOnePermitTest {
    private static final int PERMITS = 1;
    private static final PairPool<Semaphore> SEMAPHORES = SyncPairs.semaphores(PERMITS);

    private final PairPool.Lease<Semaphore> lease = SEMAPHORES.lease(1);
    private final Semaphore a = lease.a();
    private final Semaphore b = lease.b();
    private final AtomicInteger occupancy = new AtomicInteger();
    private int x;

    @Actor
    public void processA(final IIII_Result r) {
        r.r1 = holdOnePermit(a);
    }

    @Actor
    public void processB(final IIII_Result r) {
        r.r2 = holdOnePermit(b);
    }

    /** @return how many holders were inside while this one was, itself included; -1 if interrupted */
    private int holdOnePermit(final Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (final InterruptedException e) {
            return -1;
        }
        try {
            final int inside = occupancy.incrementAndGet();
            x = x + 1;
            return Math.max(inside, occupancy.getAndDecrement());
        } finally {
            semaphore.release();
        }
    }

    @Arbiter
    public void after(final IIII_Result r) {
        r.r3 = x;
        r.r4 = b.availablePermits();
        lease.done();
    }
}
