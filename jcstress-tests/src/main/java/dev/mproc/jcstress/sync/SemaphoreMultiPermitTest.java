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
 * A semaphore of two permits, one "process" taking both at once ({@code acquire(2)}) and the other
 * one ({@code acquire()}), through their own handles: together they would need three, so they
 * must take turns. Each adds the permits it holds to an occupancy counter and reports the most it
 * saw (2 for A, 1 for B; 3 would mean more permits out than exist), and increments a plain field
 * (no lost update). Once both have released, both permits are back.
 * <p>
 * This stands in for "a semaphore of 2 shared by 3 processes": jcstress runs one thread per actor
 * on its own CPU and cannot schedule three actors on the two CPUs this module runs with.
 */
@JCStressTest
@Description("Semaphore(2) never has more than 2 permits out (acquire(2) vs acquire()) across two mappings")
@Outcome(id = "2, 1, 2, 2", expect = ACCEPTABLE, desc = "one after the other; both increments kept; both permits back")
@Outcome(id = {"3, 1, 2, 2", "2, 3, 2, 2", "3, 3, 2, 2", "3, 1, 1, 2", "2, 3, 1, 2", "3, 3, 1, 2", "2, 1, 1, 2"},
    expect = FORBIDDEN, desc = "three permits out at once, or a lost update")
@Outcome(expect = FORBIDDEN, desc = "permits not back to 2 after both released, or an acquire was interrupted (-1)")
@State
public class SemaphoreMultiPermitTest {
    private static final int PERMITS = 2;
    private static final PairPool<Semaphore> SEMAPHORES = SyncPairs.semaphores(PERMITS);

    private final PairPool.Lease<Semaphore> lease = SEMAPHORES.lease(1);
    private final Semaphore a = lease.a();
    private final Semaphore b = lease.b();
    private final AtomicInteger permitsOut = new AtomicInteger();
    private int x;

    @Actor
    public void takesTwo(final IIII_Result r) {
        r.r1 = hold(a, 2);
    }

    @Actor
    public void takesOne(final IIII_Result r) {
        r.r2 = hold(b, 1);
    }

    /** @return the most permits out while this holder held its own, them included; -1 if interrupted */
    private int hold(final Semaphore semaphore, final int permits) {
        try {
            semaphore.acquire(permits);
        } catch (final InterruptedException e) {
            return -1;
        }
        try {
            final int out = permitsOut.addAndGet(permits);
            x = x + 1;
            return Math.max(out, permitsOut.getAndAdd(-permits));
        } finally {
            semaphore.release(permits);
        }
    }

    @Arbiter
    public void after(final IIII_Result r) {
        r.r3 = x;
        r.r4 = b.availablePermits();
        lease.done();
    }
}
