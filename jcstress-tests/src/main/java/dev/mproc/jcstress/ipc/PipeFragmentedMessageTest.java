package dev.mproc.jcstress.ipc;

import java.util.Arrays;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import dev.mproc.ipc.Connection;
import dev.mproc.jcstress.harness.PairPool;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A message larger than a quarter of the pipe's 1 KiB ring goes in three fragments (FIRST with
 * 240 bytes, MIDDLE with 248, LAST with 172), followed by a small message; the receiver, on the
 * other mapping, waits a little for the first message to start, and once {@code poll()} finds it
 * calls {@code recvBytes()}, which gathers the fragments as the sender commits them: the receiver
 * may be reading the FIRST record while the LAST is not yet written. Whatever the interleaving,
 * the large message arrives whole and equal to what was sent, and the small one after it, each
 * once; the arbiter receives what the receiver did not.
 * <p>
 * Outcome: messages the receiver got, messages the arbiter got, and 1 if the receiver found the
 * large message before the sender had returned from sending it (the receive overlapped the send,
 * the case this test is for), else 0.
 * <p>
 * Sizes: the four records take 256 + 256 + 184 + 24 bytes, and at most one padding record (at
 * most 248 bytes) can come between them, so the sender never waits for room even when the
 * receiver takes nothing (it would wait forever: the arbiter drains only after both actors
 * returned). Successive states of one pipe start at different offsets: three states in four
 * put a padding record at the ring's end before one of the fragments, half of them between two
 * fragments, which the receiver must step over while gathering.
 */
@JCStressTest
@Description("Pipe delivers a message sent in fragments through one mapping whole through the other, while it is written")
@Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "the receiver found nothing yet; the arbiter got both, whole and in order")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the receiver got the fragmented message whole (once sent); the arbiter the small one")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the receiver got the fragmented message whole, gathering it as it was sent; the arbiter the small one")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "the receiver got both, whole and in order (the large one once sent)")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the receiver got both, whole and in order, gathering the large one as it was sent")
@Outcome(expect = FORBIDDEN, desc = "a message partial, corrupt, lost, duplicated or reordered (-2), or a call threw (-1)")
@State
public class PipeFragmentedMessageTest {
    private static final PairPool<Connection> PIPES = IpcPairs.pipes();
    /** More than a quarter of the ring less a record header: three fragments. */
    private static final int LARGE_BYTES = 660;
    private static final int SMALL_BYTES = 16;
    /** How long the receiver waits for the first message: a few microseconds of polling. */
    private static final int RECEIVER_SPINS = 64;
    private static final int ARBITER_POLLS = 4;

    private final PairPool.Lease<Connection> lease = PIPES.lease(1);
    private final Connection receiver = lease.a();
    private final Connection sender = lease.b();
    private final long stamp = Messages.nextStamp();
    private final byte[] large = Messages.stamped(stamp, 0, LARGE_BYTES);
    private final byte[] small = Messages.stamped(stamp, 1, SMALL_BYTES);
    /** Set once the sender returned from sending the large message. */
    private volatile boolean largeSent;

    @Actor
    public void sender() {
        try {
            sender.sendBytes(large);
            largeSent = true;
            sender.sendBytes(small);
        } catch (final RuntimeException e) {
            // The missing messages show in the outcome.
            Messages.threw("sender", e);
        }
    }

    @Actor
    public void receiver(final III_Result r) {
        try {
            boolean found = false;
            for (int i = 0; i < RECEIVER_SPINS && !found; i++) {
                found = receiver.poll();
                if (!found) {
                    Thread.onSpinWait();
                }
            }
            r.r3 = found && !largeSent ? 1 : 0;
            r.r1 = receive(0, 2);
        } catch (final RuntimeException e) {
            r.r1 = Messages.threw("receiver", e);
        }
    }

    @Arbiter
    public void rest(final III_Result r) {
        r.r2 = receive(r.r1 < 0 ? 0 : r.r1, ARBITER_POLLS);
        lease.done();
    }

    /**
     * Polls {@code polls} times without blocking (but for the fragments of a message that has
     * begun), receiving each message found.
     *
     * @param next the index of the message expected first
     * @return how many messages were received, each the one expected; or a result code
     */
    private int receive(final int next, final int polls) {
        int expected = next;
        try {
            for (int i = 0; i < polls; i++) {
                if (receiver.poll()) {
                    if (!Arrays.equals(receiver.recvBytes(), expected == 0 ? large : expected == 1 ? small : null)) {
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
}
