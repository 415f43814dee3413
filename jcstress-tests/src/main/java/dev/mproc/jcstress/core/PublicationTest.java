package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IJ_Result;

import dev.mproc.core.MappedRegion;
import dev.mproc.jcstress.harness.TwoMappings;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A writer publishes a plain long with a release store of a flag through mapping A; a reader that
 * sees the flag with an acquire load through mapping B must see the long. This is how every
 * message in a ring is handed over between processes.
 * <p>
 * The data and the flag sit on different cache lines of the slot, as a payload and its header
 * usually do.
 */
@JCStressTest
@Description("putIntRelease / getIntAcquire publish a plain write across two mappings of one file")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "flag not seen yet, data not seen yet")
@Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "flag not seen yet, data seen early")
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "flag seen, data seen")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag seen but data not: release/acquire did not order them")
@Outcome(expect = FORBIDDEN, desc = "a value nobody wrote")
@State
public class PublicationTest {
    private static final long FLAG = 64;

    private final MappedRegion a = TwoMappings.mappingA();
    private final MappedRegion b = TwoMappings.mappingB();
    private final long data = TwoMappings.claimSlot();
    private final long flag = data + FLAG;

    @Actor
    public void writer() {
        a.putLong(data, 42);
        a.putIntRelease(flag, 1);
    }

    @Actor
    public void reader(final IJ_Result r) {
        r.r1 = b.getIntAcquire(flag);
        r.r2 = b.getLong(data);
    }
}
