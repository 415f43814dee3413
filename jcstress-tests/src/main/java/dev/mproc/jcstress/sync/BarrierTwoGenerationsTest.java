package dev.mproc.jcstress.sync;

import java.util.concurrent.BrokenBarrierException;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.Barrier;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two parties, "processes" A and B, go through a barrier of two twice in a row, each through its
 * own handle. In each generation the arrival indices are a permutation of {0, 1} (one first, one
 * last), and each party, once through, sees the plain write the other made just before arriving.
 * The second generation starts while the first may still be waking its waiter: a party that
 * returned from the second {@code await} early (mistaking the first trip for the second) would
 * miss the other's second write.
 * <p>
 * Reported per party: the indices as 10 x (first generation) + (second), -1 if an await threw;
 * and what it saw of the other's writes as 10 x (first) + (second), 11 when it saw both. The
 * pooled barriers are reused state after state, so generations go on counting across samples.
 */
@JCStressTest
@Description("Barrier(2): arrival indices are a permutation and writes before await are seen after, two generations")
@Outcome(id = "0, 11, 11, 11", expect = ACCEPTABLE, desc = "B arrived first in both generations")
@Outcome(id = "1, 10, 11, 11", expect = ACCEPTABLE, desc = "B first, then A first")
@Outcome(id = "10, 1, 11, 11", expect = ACCEPTABLE, desc = "A first, then B first")
@Outcome(id = "11, 0, 11, 11", expect = ACCEPTABLE, desc = "A arrived first in both generations")
@Outcome(expect = FORBIDDEN, desc = "indices not a permutation in a generation, a missed write, or an await threw")
@State
public class BarrierTwoGenerationsTest {
    private static final PairPool<Barrier> BARRIERS = SyncPairs.barriers(2);

    private final PairPool.Lease<Barrier> lease = BARRIERS.lease(1);
    private final Barrier a = lease.a();
    private final Barrier b = lease.b();
    private int a1;
    private int a2;
    private int b1;
    private int b2;

    @Actor
    public void partyA(final IIII_Result r) {
        try {
            a1 = 1;
            final int first = a.await();
            final int seen1 = b1;
            a2 = 1;
            final int second = a.await();
            r.r1 = 10 * first + second;
            r.r3 = 10 * seen1 + b2;
        } catch (final InterruptedException | BrokenBarrierException e) {
            r.r1 = -1;
        }
    }

    @Actor
    public void partyB(final IIII_Result r) {
        try {
            b1 = 1;
            final int first = b.await();
            final int seen1 = a1;
            b2 = 1;
            final int second = b.await();
            r.r2 = 10 * first + second;
            r.r4 = 10 * seen1 + a2;
        } catch (final InterruptedException | BrokenBarrierException e) {
            r.r2 = -1;
        }
    }

    @Arbiter
    public void after(final IIII_Result r) {
        lease.done();
    }
}
