package dev.mproc.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.BoundedSemaphore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A bounded semaphore of one permit: "process" A acquires it and releases it, "process" B
 * releases once without acquiring, each through its own handle. Whenever B's release comes, one
 * of the two releases finds the permit already back and must be refused with
 * {@link IllegalStateException}: B's if it comes before A's acquire or after A's release, A's if
 * B's came in between. Exactly one release is refused, and the count ends at the bound, 1: a
 * refused release changes nothing. A bound check that is not atomic with the increment would let
 * both releases through when they race (count 2).
 * <p>
 * A release reports 1 if it went through, 0 if refused with {@code IllegalStateException}, and -1
 * for any other exception (or an interrupted acquire).
 */
@JCStressTest
@Description("BoundedSemaphore refuses exactly the release that would exceed the bound, across two mappings")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "B's release came first or last: refused; the count stays 1")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "B released while A held the permit; A's release is refused")
@Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "both releases went through: the bound was exceeded")
@Outcome(expect = FORBIDDEN, desc = "both or neither refused, a refused release changed the count, or another exception")
@State
public class BoundedSemaphoreOverReleaseTest {
    private static final int BOUND = 1;
    private static final PairPool<BoundedSemaphore> SEMAPHORES = SyncPairs.boundedSemaphores(BOUND);

    private final PairPool.Lease<BoundedSemaphore> lease = SEMAPHORES.lease(1);
    private final BoundedSemaphore a = lease.a();
    private final BoundedSemaphore b = lease.b();

    @Actor
    public void acquireThenRelease(final III_Result r) {
        try {
            a.acquire();
            r.r1 = release(a);
        } catch (final InterruptedException e) {
            r.r1 = -1;
        }
    }

    @Actor
    public void releaseOnly(final III_Result r) {
        r.r2 = release(b);
    }

    private static int release(final BoundedSemaphore semaphore) {
        try {
            semaphore.release();
            return 1;
        } catch (final IllegalStateException e) {
            return 0;
        } catch (final RuntimeException e) {
            return -1;
        }
    }

    @Arbiter
    public void after(final III_Result r) {
        r.r3 = a.availablePermits();
        lease.done();
    }
}
