package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

import dev.mproc.core.MappedRegion;
import dev.mproc.jcstress.harness.TwoMappings;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes" race to swap 0 for their own id, each through its own mapping: exactly one
 * wins, and the word holds the winner's id. This is how a lock is claimed across processes.
 */
@JCStressTest
@Description("MappedRegion.compareAndSetLong has exactly one winner across two mappings of one file")
@Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "A won")
@Outcome(id = "false, true, 2", expect = ACCEPTABLE, desc = "B won")
@Outcome(expect = FORBIDDEN, desc = "both won, neither won, or the word does not hold the winner's id")
@State
public class CompareAndSetLongTest {
    private final MappedRegion a = TwoMappings.mappingA();
    private final MappedRegion b = TwoMappings.mappingB();
    private final long word = TwoMappings.claimSlot();

    @Actor
    public void processA(final ZZJ_Result r) {
        r.r1 = a.compareAndSetLong(word, 0, 1);
    }

    @Actor
    public void processB(final ZZJ_Result r) {
        r.r2 = b.compareAndSetLong(word, 0, 2);
    }

    @Arbiter
    public void after(final ZZJ_Result r) {
        r.r3 = a.getLongVolatile(word);
    }
}
