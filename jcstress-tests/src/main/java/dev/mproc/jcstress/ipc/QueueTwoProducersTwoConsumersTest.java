package dev.mproc.jcstress.ipc;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.ipc.Queue;
import dev.mproc.jcstress.harness.PairPool;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two "processes", each with its own handle on the queue (its own mapping of the file), each put
 * two values and then take one with {@code poll()}: two producers racing for the producer mutex,
 * then two consumers racing for the consumer mutex (jcstress runs at most as many actors as it
 * has CPUs, two in this module's build, so each actor plays both parts). The arbiter then takes
 * what is left. Values: A puts 1 then 2, B puts 3 then 4 (each sent as the state's stamp times 8
 * plus the value, and decoded back; a value of another state reads as 9).
 * <ul>
 *   <li>Nothing is lost or duplicated: the four values come out once each.</li>
 *   <li>Each producer's order is kept: 1 is taken before 2, 3 before 4. As the arbiter takes
 *   last, a poll that got 2 means the other poll got 1 (likewise 4 and 3), and the arbiter gets
 *   a producer's two values in their order.</li>
 *   <li>A poll never finds the queue empty: each actor polls after its own two puts returned,
 *   and at most one value (the other poll's) was taken before, so one of its own is still in.</li>
 * </ul>
 * Outcome: A's value, B's value, and the arbiter's values as digits in the order taken (34 = 3,
 * then 4); 0 for an empty poll, -1 for an exception.
 * <p>
 * Wrap-around: the queue's ring is 1 KiB and four records of 24 bytes go through it per state,
 * so about one state in ten crosses its end.
 */
@JCStressTest
@Description("Queue: two producers and two consumers on two mappings lose, duplicate and reorder nothing")
@Outcome(id = {"1, 2, 34", "2, 1, 34"}, expect = ACCEPTABLE, desc = "the polls took A's values (1 first); the arbiter B's, in order")
@Outcome(id = {"3, 4, 12", "4, 3, 12"}, expect = ACCEPTABLE, desc = "the polls took B's values (3 first); the arbiter A's, in order")
@Outcome(id = {"1, 3, 24", "3, 1, 24"}, expect = ACCEPTABLE, desc = "the polls took both firsts; A's 2 was put before B's 4")
@Outcome(id = {"1, 3, 42", "3, 1, 42"}, expect = ACCEPTABLE, desc = "the polls took both firsts; B's 4 was put before A's 2")
@Outcome(expect = FORBIDDEN, desc = "a value lost, duplicated, reordered or foreign (9), an empty poll (0), or a call threw (-1)")
@State
public class QueueTwoProducersTwoConsumersTest {
    private static final PairPool<Queue<Long>> QUEUES = IpcPairs.queues();
    /** Values are the stamp times this plus 1 to 4. */
    private static final int PER_STAMP = 8;
    /** A value that is not one of this state's. */
    private static final int FOREIGN = 9;
    /** More polls than values are left: the arbiter takes all there is, to catch a duplicate. */
    private static final int ARBITER_POLLS = 5;

    private final PairPool.Lease<Queue<Long>> lease = QUEUES.lease(1);
    private final Queue<Long> a = lease.a();
    private final Queue<Long> b = lease.b();
    private final long base = Messages.nextStamp() * PER_STAMP;

    @Actor
    public void processA(final III_Result r) {
        r.r1 = putTwoTakeOne(a, 1);
    }

    @Actor
    public void processB(final III_Result r) {
        r.r2 = putTwoTakeOne(b, 3);
    }

    @Arbiter
    public void rest(final III_Result r) {
        int taken = 0;
        try {
            for (int i = 0; i < ARBITER_POLLS; i++) {
                final Long value = a.poll();
                if (value == null) {
                    break;
                }
                taken = taken * 10 + decode(value);
            }
        } catch (final RuntimeException e) {
            taken = Messages.threw("arbiter", e);
        }
        r.r3 = taken;
        lease.done();
    }

    /** @return the value this actor's poll took, decoded; or a result code */
    private int putTwoTakeOne(final Queue<Long> queue, final int first) {
        try {
            queue.put(base + first);
            queue.put(base + first + 1);
            final Long value = queue.poll();
            return value == null ? 0 : decode(value);
        } catch (final InterruptedException | RuntimeException e) {
            return Messages.threw("process putting " + first, e);
        }
    }

    private int decode(final long value) {
        final long index = value - base;
        return index >= 1 && index <= 4 ? (int) index : FOREIGN;
    }
}
