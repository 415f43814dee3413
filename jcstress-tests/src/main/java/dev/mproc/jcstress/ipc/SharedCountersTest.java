package dev.mproc.jcstress.ipc;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIIIII_Result;

import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.ipc.IpcPairs.Counters;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes", each through its own handles (its own mappings of the files), race on a
 * {@code SharedLong} and a {@code SharedIntArray}: both {@code incrementAndGet()} the long, both
 * {@code getAndAdd(0, 1)} element 0, and both try {@code compareAndSet(1, 0, id)} on element 1,
 * A with id 1 and B with id 2. No update is lost (the long and element 0 end at 2, and exactly one
 * of each pair of calls saw the other's), and exactly one compare-and-set wins, its id in the
 * element.
 * <p>
 * Outcome: A's increment, B's increment, the long; A's previous element 0, B's, element 0; the
 * compare-and-set winners (1 = A, 2 = B, 3 = both, 0 = neither), element 1. The three races are
 * independent, so all eight combinations of their two orders are acceptable.
 */
@JCStressTest
@Description("SharedLong and SharedIntArray updates from two mappings are atomic")
@Outcome(id = {
    "1, 2, 2, 0, 1, 2, 1, 1", "1, 2, 2, 0, 1, 2, 2, 2", "1, 2, 2, 1, 0, 2, 1, 1", "1, 2, 2, 1, 0, 2, 2, 2",
    "2, 1, 2, 0, 1, 2, 1, 1", "2, 1, 2, 0, 1, 2, 2, 2", "2, 1, 2, 1, 0, 2, 1, 1", "2, 1, 2, 1, 0, 2, 2, 2"},
    expect = ACCEPTABLE, desc = "each race has one order: no update lost, one compare-and-set won")
@Outcome(expect = FORBIDDEN, desc = "an update lost, both or neither saw the other's, or a compare-and-set result wrong")
@State
public class SharedCountersTest {
    private static final PairPool<Counters> COUNTERS = IpcPairs.counters();

    private final PairPool.Lease<Counters> lease = COUNTERS.lease(1);
    private final Counters a = lease.a();
    private final Counters b = lease.b();
    /** Each written by one actor only; the arbiter reads both. */
    private boolean aWon;
    private boolean bWon;

    @Actor
    public void processA(final IIIIIIII_Result r) {
        r.r1 = (int) a.count().incrementAndGet();
        r.r4 = a.cells().getAndAdd(0, 1);
        aWon = a.cells().compareAndSet(1, 0, 1);
    }

    @Actor
    public void processB(final IIIIIIII_Result r) {
        r.r2 = (int) b.count().incrementAndGet();
        r.r5 = b.cells().getAndAdd(0, 1);
        bWon = b.cells().compareAndSet(1, 0, 2);
    }

    @Arbiter
    public void after(final IIIIIIII_Result r) {
        r.r3 = (int) a.count().get();
        r.r6 = a.cells().get(0);
        r.r7 = (aWon ? 1 : 0) + (bWon ? 2 : 0);
        r.r8 = a.cells().get(1);
        lease.done();
    }
}
