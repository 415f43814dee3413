package dev.mproc.jcstress.sync;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.WaitChecks;
import dev.mproc.sync.Barrier;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A party waiting in {@code Barrier.await()} on mapping A is released when the other party
 * arrives through mapping B: jcstress signals after the waiter has started, so it is usually
 * spinning or asleep already and the signal's arrival trips the barrier; a lost wake-up leaves it
 * asleep (STALE). Each party must see the other's write made before arriving (else it throws:
 * an error, forbidden).
 * <p>
 * The signalling party waits at most a minute, in case it arrives first and the waiter never
 * comes: jcstress only watches the waiter's thread, and a hung signal would hang the whole run.
 */
@JCStressTest(Mode.Termination)
@Description("The last arrival through mapping B releases Barrier.await on mapping A; no lost wake-up")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter was released and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "a party threw (broken, timed out) or missed the other's write")
@State
public class BarrierLastArrivalTest {
    private static final PairPool<Barrier> BARRIERS = SyncPairs.barriers(2);

    private final PairPool.Lease<Barrier> lease;
    private final Barrier a;
    private final Barrier b;
    private int fromWaiter;
    private int fromSignal;

    public BarrierLastArrivalTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = BARRIERS.lease(2);
        a = lease.a();
        b = lease.b();
    }

    @Actor
    public void waiter() throws InterruptedException, BrokenBarrierException {
        fromWaiter = 7;
        a.await();
        if (fromSignal != 42) {
            throw new IllegalStateException("released but missed the other party's write: " + fromSignal);
        }
        lease.done();
    }

    @Signal
    public void arrive() throws InterruptedException, BrokenBarrierException, TimeoutException {
        fromSignal = 42;
        b.await(1, TimeUnit.MINUTES);
        if (fromWaiter != 7) {
            throw new IllegalStateException("released but missed the other party's write: " + fromWaiter);
        }
        lease.done();
    }
}
