package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.core.MappedRegion;
import dev.mproc.jcstress.harness.TwoMappings;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * As {@link GetAndAddLongTest} for a 32-bit word, the width of futex words and sleeper counts.
 */
@JCStressTest
@Description("MappedRegion.getAndAddInt is atomic across two mappings of one file")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "A added first, then B")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "B added first, then A")
@Outcome(expect = FORBIDDEN, desc = "an increment was lost, or both or neither saw the other's")
@State
public class GetAndAddIntTest {
    private final MappedRegion a = TwoMappings.mappingA();
    private final MappedRegion b = TwoMappings.mappingB();
    private final long word = TwoMappings.claimSlot();

    @Actor
    public void processA(final III_Result r) {
        r.r1 = a.getAndAddInt(word, 1);
    }

    @Actor
    public void processB(final III_Result r) {
        r.r2 = b.getAndAddInt(word, 1);
    }

    @Arbiter
    public void after(final III_Result r) {
        r.r3 = b.getIntVolatile(word);
    }
}
