package dev.mproc.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.sync.Event;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * "Process" A writes a plain field and sets the event through its handle; "process" B asks
 * {@code isSet()} through its own handle and then reads the field: once B sees the event set it
 * must see the write made before {@code set()}. Afterwards the event is set, seen from either
 * mapping.
 */
@JCStressTest
@Description("Event.set on mapping A publishes earlier writes to isSet() == true on mapping B")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "not set yet, data not seen yet")
@Outcome(id = "0, 42, 1", expect = ACCEPTABLE, desc = "not set yet, data seen early")
@Outcome(id = "1, 42, 1", expect = ACCEPTABLE, desc = "set seen, data seen")
@Outcome(id = "1, 0, 1", expect = FORBIDDEN, desc = "set seen but not the write before it")
@Outcome(expect = FORBIDDEN, desc = "the event is not set once the setter returned, or a value nobody wrote")
@State
public class EventPublicationTest {
    private static final PairPool<Event> EVENTS = SyncPairs.events();

    private final PairPool.Lease<Event> lease = EVENTS.lease(1);
    private final Event a = lease.a();
    private final Event b = lease.b();
    private int data;

    @Actor
    public void setter() {
        data = 42;
        a.set();
    }

    @Actor
    public void observer(final III_Result r) {
        r.r1 = b.isSet() ? 1 : 0;
        r.r2 = data;
    }

    @Arbiter
    public void after(final III_Result r) {
        r.r3 = b.isSet() ? 1 : 0;
        lease.done();
    }
}
