package dev.mproc.jcstress.ipc;

import java.util.Arrays;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import dev.mproc.ipc.Connection;
import dev.mproc.jcstress.harness.PairPool;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A sender sends three messages through the right end of a pipe (its own mapping of the file)
 * while a receiver polls the left end (the other mapping) without blocking, and takes each
 * message {@code poll()} finds; the arbiter, after both, receives whatever is left. Between them
 * they get every message exactly once, whole and in order: the receiver a prefix, the arbiter the
 * rest. The messages are raw bytes, an encoded {@code Long}, raw bytes again, all stamped with the
 * state (see {@link Messages}), so a stale record of an earlier state never passes.
 * <p>
 * Wrap-around: the pipe's ring is 1 KiB and comes back from the pool with its positions where
 * the previous state left them. The three records take 24 + 24 + 160 bytes, so successive
 * states of one pipe start at different offsets (15 of them), and about one state in five has to
 * put a padding record at the ring's end and carry on from its start, while the receiver may be
 * reading there.
 */
@JCStressTest
@Description("Pipe delivers three messages sent through one mapping once each, whole and in order, through the other")
@Outcome(id = "0, 3", expect = ACCEPTABLE, desc = "the receiver found none yet; the arbiter got all three, in order")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the receiver got the first; the arbiter the other two, in order")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "the receiver got the first two, in order; the arbiter the third")
@Outcome(id = "3, 0", expect = ACCEPTABLE, desc = "the receiver got all three, in order")
@Outcome(expect = FORBIDDEN, desc = "a message lost, duplicated, reordered or corrupt (-2), or a call threw (-1)")
@State
public class PipeMessageOrderTest {
    private static final PairPool<Connection> PIPES = IpcPairs.pipes();
    private static final int MESSAGES = 3;
    /** Each a poll, taking the message if there is one: enough to find all three sometimes. */
    private static final int RECEIVER_POLLS = 4;
    /** More than are sent: the arbiter takes all that is there, to catch a duplicate. */
    private static final int ARBITER_POLLS = 2 * MESSAGES;

    private final PairPool.Lease<Connection> lease = PIPES.lease(1);
    private final Connection receiver = lease.a();
    private final Connection sender = lease.b();
    private final long stamp = Messages.nextStamp();
    private final byte[] first = Messages.stamped(stamp, 0, 13);
    private final Long second = stamp;
    private final byte[] third = Messages.stamped(stamp, 2, 150);

    @Actor
    public void sender() {
        try {
            sender.sendBytes(first);
            sender.send(second);
            sender.sendBytes(third);
        } catch (final RuntimeException e) {
            // The missing messages show in the outcome.
            Messages.threw("sender", e);
        }
    }

    @Actor
    public void receiver(final II_Result r) {
        r.r1 = receive(0, RECEIVER_POLLS);
    }

    @Arbiter
    public void rest(final II_Result r) {
        r.r2 = receive(r.r1 < 0 ? 0 : r.r1, ARBITER_POLLS);
        lease.done();
    }

    /**
     * Polls {@code polls} times without blocking, receiving each message found.
     *
     * @param next  the index of the message expected first
     * @return how many messages were received, each the one expected; or a result code
     */
    private int receive(final int next, final int polls) {
        int expected = next;
        try {
            for (int i = 0; i < polls; i++) {
                if (receiver.poll()) {
                    if (!isMessage(expected, receiver.recv())) {
                        return Messages.WRONG;
                    }
                    expected++;
                }
            }
        } catch (final Exception e) {
            return Messages.threw("receiver", e);
        }
        return expected - next;
    }

    private boolean isMessage(final int index, final Object got) {
        return switch (index) {
            case 0 -> got instanceof byte[] bytes && Arrays.equals(bytes, first);
            case 1 -> second.equals(got);
            case 2 -> got instanceof byte[] bytes && Arrays.equals(bytes, third);
            default -> false;
        };
    }
}
