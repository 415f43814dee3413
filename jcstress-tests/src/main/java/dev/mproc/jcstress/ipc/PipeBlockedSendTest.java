package dev.mproc.jcstress.ipc;

import java.util.Arrays;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.ipc.Connection;
import dev.mproc.jcstress.harness.PairPool;
import dev.mproc.jcstress.harness.WaitChecks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@code send} blocked on a full pipe returns once the receiver, on the other mapping, takes a
 * message: the receiver publishes its new position and wakes a sender asleep on the ring's
 * space futex word.
 * <p>
 * The state's constructor (run in the signal's thread) fills the 1 KiB ring through the sending
 * end with three messages of 248 bytes, three records of 256 bytes: 768 bytes used, plus any
 * padding at the ring's end. The sender's fourth such message needs its record, any padding
 * before it and the next record's 8-byte header: at least 264 bytes, where 256 at most are free,
 * so it waits. The signal receives one message (the first, else it throws): with 256 more bytes
 * free the fourth message fits wherever the ring wraps (one padding record at most among the
 * four, at most 248 bytes: 768 + 248 + 256 + 8 = 1280 = 1024 + 256), and a 256-byte record is
 * more than the eighth of the ring after which a receiver always wakes a sleeping sender. The
 * messages left behind are drained by the pool before the pipe is lent again.
 */
@JCStressTest(Mode.Termination)
@Description("Pipe: a recv through one mapping releases a send() blocked on the other by a full ring")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the sender found room and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the sender still sleeps")
@Outcome(expect = FORBIDDEN, desc = "a call threw, or the receiver got another message than the first")
@State
public class PipeBlockedSendTest {
    private static final PairPool<Connection> PIPES = IpcPairs.pipes();
    /** The largest unfragmented message of a 1 KiB ring: its record is a quarter of the ring. */
    private static final int MESSAGE_BYTES = IpcPairs.RING_BYTES / 4 - 8;
    private static final int FILLERS = 3;

    private final PairPool.Lease<Connection> lease;
    private final Connection receiver;
    private final Connection sender;
    private final long stamp = Messages.nextStamp();
    private final byte[] first = Messages.stamped(stamp, 0, MESSAGE_BYTES);
    private final byte[] last = Messages.stamped(stamp, FILLERS, MESSAGE_BYTES);

    public PipeBlockedSendTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = PIPES.lease(2);
        receiver = lease.a();
        sender = lease.b();
        sender.sendBytes(first);
        for (int i = 1; i < FILLERS; i++) {
            sender.sendBytes(Messages.stamped(stamp, i, MESSAGE_BYTES));
        }
    }

    @Actor
    public void sender() {
        sender.sendBytes(last);
        lease.done();
    }

    @Signal
    public void receive() throws Exception {
        final byte[] got = receiver.recvBytes();
        if (!Arrays.equals(got, first)) {
            throw new IllegalStateException("received " + got.length + " bytes other than the first message of stamp "
                + stamp);
        }
        lease.done();
    }
}
