package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;
import dev.mproc.jcstress.harness.TwoMappings;
import dev.mproc.jcstress.harness.WaitChecks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The second way to use a wait word: the condition lives in another word (as a ring's slots or a
 * counter do). The signaller publishes it with a volatile store through mapping A and calls
 * {@link WaitWord#signalAll()}, which bumps the wait word only if a sleeper announced itself; a
 * {@link WaitStrategies#sleeping()} waiter on mapping B must return. The Dekker-style ordering
 * between "publish, then read the sleeper count" and "announce, then re-check the condition" is
 * what keeps this from losing the wake-up.
 */
@JCStressTest(Mode.Termination)
@Description("WaitWord.signalAll through mapping A wakes a waiter on mapping B whose condition is another word")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the condition and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the signal threw")
@State
public class WaitWordSignalAllTest {
    /** The condition's word sits on the slot's second cache line, apart from the wait word. */
    private static final long CONDITION = 64;

    private final MappedRegion a = TwoMappings.mappingA();
    private final MappedRegion b = TwoMappings.mappingB();
    private final WaitWord wordA;
    private final WaitWord wordB;
    private final long condition;
    private final WaitStrategy strategy = WaitStrategies.sleeping();

    public WaitWordSignalAllTest() {
        WaitChecks.requireLostWakeUpsVisible();
        final long slot = TwoMappings.claimSlot();
        wordA = WaitWord.at(a, slot);
        wordB = WaitWord.at(b, slot);
        condition = slot + CONDITION;
    }

    @Actor
    public void waiter() {
        strategy.awaitUninterruptibly(wordB, () -> b.getIntVolatile(condition) == 1);
    }

    @Signal
    public void signal() {
        a.putIntVolatile(condition, 1);
        wordA.signalAll();
    }
}
