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
import dev.mproc.sync.Condition;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The canonical condition-variable hand-off across two "processes": the waiter, through handle A
 * (the condition and its lock on mapping A), takes the lock and awaits until a flag is set; the
 * signaller, through handle B, takes the lock, sets the flag, signals and unlocks. Whether the
 * signal comes before the waiter takes the lock, while it is between taking a ticket and
 * sleeping, or while it sleeps, the waiter must return: a lost signal leaves it asleep (STALE).
 * The flag is a plain field guarded by the lock, so its value must also travel with the lock.
 */
@JCStressTest(Mode.Termination)
@Description("Condition.signal through mapping B wakes an await on mapping A; no lost wake-up")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the flag and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the signal was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the signaller threw")
@State
public class ConditionSignalTest {
    private static final PairPool<Condition> CONDITIONS = SyncPairs.conditions();

    private final PairPool.Lease<Condition> lease;
    private final Condition a;
    private final Condition b;
    private boolean flag;

    public ConditionSignalTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = CONDITIONS.lease(2);
        a = lease.a();
        b = lease.b();
    }

    @Actor
    public void waiter() throws InterruptedException {
        a.lock().lock();
        try {
            while (!flag) {
                a.await();
            }
        } finally {
            a.lock().unlock();
        }
        lease.done();
    }

    @Signal
    public void signal() {
        b.lock().lock();
        try {
            flag = true;
            b.signal();
        } finally {
            b.lock().unlock();
        }
        lease.done();
    }
}
