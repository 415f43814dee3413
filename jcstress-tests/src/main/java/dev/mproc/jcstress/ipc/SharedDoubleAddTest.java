package dev.mproc.jcstress.ipc;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.DDD_Result;

import dev.mproc.ipc.SharedDouble;
import dev.mproc.jcstress.harness.PairPool;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes", each through its own handle (its own mapping of the file), add to one
 * {@code SharedDouble}: A adds 0.5, B adds 0.25 (sums exact in binary). {@code getAndAdd} is a
 * compare-and-exchange loop over the value's bits, so when the two collide one must retry from the
 * value the other wrote: no addition is lost (the value ends at 0.75) and exactly one of them saw
 * the other's.
 */
@JCStressTest
@Description("SharedDouble.getAndAdd from two mappings loses no addition")
@Outcome(id = "0.0, 0.5, 0.75", expect = ACCEPTABLE, desc = "A added first, then B")
@Outcome(id = "0.25, 0.0, 0.75", expect = ACCEPTABLE, desc = "B added first, then A")
@Outcome(expect = FORBIDDEN, desc = "an addition lost, or both or neither saw the other's")
@State
public class SharedDoubleAddTest {
    private static final PairPool<SharedDouble> DOUBLES = IpcPairs.doubles();

    private final PairPool.Lease<SharedDouble> lease = DOUBLES.lease(1);
    private final SharedDouble a = lease.a();
    private final SharedDouble b = lease.b();

    @Actor
    public void processA(final DDD_Result r) {
        r.r1 = a.getAndAdd(0.5);
    }

    @Actor
    public void processB(final DDD_Result r) {
        r.r2 = b.getAndAdd(0.25);
    }

    @Arbiter
    public void after(final DDD_Result r) {
        r.r3 = a.get();
        lease.done();
    }
}
