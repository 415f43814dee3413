package dev.mproc.jcstress.ipc;

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
 * A {@code recv()} blocked on the left end of an empty pipe (one mapping of its file) returns once
 * a message is sent through the right end (the other mapping): the send's commit wakes a receiver
 * asleep on the ring's futex word, which works across mappings only for a process-shared futex.
 * The receiver gets the state's own message (stamped, see {@link Messages}), else it throws: an
 * error, forbidden. It also sees the sender's plain write made before the send (the pipe's
 * happens-before edge).
 */
@JCStressTest(Mode.Termination)
@Description("Pipe: a send through one mapping releases a recv() blocked on the other")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the receiver got the message and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the receiver still sleeps")
@Outcome(expect = FORBIDDEN, desc = "a call threw, or the receiver got another message or missed the sender's write")
@State
public class PipeBlockedRecvTest {
    private static final PairPool<Connection> PIPES = IpcPairs.pipes();

    private final PairPool.Lease<Connection> lease;
    private final Connection receiver;
    private final Connection sender;
    private final Long message = Messages.nextStamp();
    private int data;

    public PipeBlockedRecvTest() {
        WaitChecks.requireLostWakeUpsVisible();
        lease = PIPES.lease(2);
        receiver = lease.a();
        sender = lease.b();
    }

    @Actor
    public void receiver() throws Exception {
        final Object got = receiver.recv();
        if (!message.equals(got) || data != 42) {
            throw new IllegalStateException("received " + got + " with data " + data + ", expected " + message
                + " with data 42");
        }
        lease.done();
    }

    @Signal
    public void send() {
        data = 42;
        sender.send(message);
        lease.done();
    }
}
