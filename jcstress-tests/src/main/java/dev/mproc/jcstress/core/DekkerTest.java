package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import dev.mproc.core.MappedRegion;
import dev.mproc.jcstress.harness.TwoMappings;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Dekker's store-load pattern through two mappings: each "process" sets its own flag with a
 * volatile store, then reads the other's with a volatile load. Volatile accesses are sequentially
 * consistent, so at least one sees the other's flag. The no-lost-wake-up argument of
 * {@link dev.mproc.core.WaitWord} (announce a sleeper, then re-check; publish, then read the
 * sleeper count) is this pattern.
 * <p>
 * On x86 this is the case a store buffer breaks without a full fence: both loads may pass both
 * stores, giving 0, 0.
 */
@JCStressTest
@Description("putIntVolatile / getIntVolatile are sequentially consistent across two mappings of one file")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both loads passed both stores: not sequentially consistent")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "A ran first")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "B ran first")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the stores came before both loads")
@Outcome(expect = FORBIDDEN, desc = "a value nobody wrote")
@State
public class DekkerTest {
    private static final long Y = 64;

    private final MappedRegion a = TwoMappings.mappingA();
    private final MappedRegion b = TwoMappings.mappingB();
    private final long x = TwoMappings.claimSlot();
    private final long y = x + Y;

    @Actor
    public void processA(final II_Result r) {
        a.putIntVolatile(x, 1);
        r.r1 = a.getIntVolatile(y);
    }

    @Actor
    public void processB(final II_Result r) {
        b.putIntVolatile(y, 1);
        r.r2 = b.getIntVolatile(x);
    }
}
