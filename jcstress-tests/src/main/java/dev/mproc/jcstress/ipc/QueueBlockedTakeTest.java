package dev.mproc.jcstress.ipc;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.ipc.Queue;
import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.WaitChecks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@code take()} blocked on an empty queue through handle A (one mapping of its file) returns
 * once a value is put through handle B (the other mapping). A taker waits outside the consumer
 * mutex, asleep on the ring's futex word, so the put's commit must wake it across mappings, and
 * it must then take the value under the mutex. It gets the state's own value (stamped, see
 * {@link Messages}) and sees the producer's plain write made before the put, else it throws: an
 * error, forbidden.
 */
@JCStressTest(Mode.Termination)
@Description("Queue: a put through one mapping releases a take() blocked on the other")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the taker got the value and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the taker still sleeps")
@Outcome(expect = FORBIDDEN, desc = "a call threw, or the taker got another value or missed the producer's write")
@State
public class QueueBlockedTakeTest {
    private static final PairPool<Queue<Long>> QUEUES = IpcPairs.queues();

    private final PairPool.Lease<Queue<Long>> lease;
    private final Queue<Long> taker;
    private final Queue<Long> producer;
    private final Long value = Messages.nextStamp();
    private int data;

    public QueueBlockedTakeTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = QUEUES.lease(2);
        taker = lease.a();
        producer = lease.b();
    }

    @Actor
    public void taker() throws InterruptedException {
        final Long got = taker.take();
        if (!value.equals(got) || data != 42) {
            throw new IllegalStateException("took " + got + " with data " + data + ", expected " + value
                + " with data 42");
        }
        lease.done();
    }

    @Signal
    public void put() throws InterruptedException {
        data = 42;
        producer.put(value);
        lease.done();
    }
}
