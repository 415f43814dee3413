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
import dev.mproc.sync.Event;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@code Event.await()} on mapping B returns once the event is set through mapping A, whether the
 * set lands before the waiter looks, while it spins, as it goes to sleep, or while it sleeps; and
 * the waiter then sees the write made before {@code set()} (else it throws: an error, forbidden).
 */
@JCStressTest(Mode.Termination)
@Description("Event.set through mapping A releases Event.await on mapping B; no lost wake-up")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the event and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the setter threw, or the waiter missed the setter's write")
@State
public class EventAwaitSetTest {
    private static final PairPool<Event> EVENTS = SyncPairs.events();

    private final PairPool.Lease<Event> lease;
    private final Event a;
    private final Event b;
    private int data;

    public EventAwaitSetTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = EVENTS.lease(2);
        a = lease.a();
        b = lease.b();
    }

    @Actor
    public void waiter() throws InterruptedException {
        b.await();
        if (data != 42) {
            throw new IllegalStateException("released by the event but missed the setter's write: " + data);
        }
        lease.done();
    }

    @Signal
    public void set() {
        data = 42;
        a.set();
        lease.done();
    }
}
