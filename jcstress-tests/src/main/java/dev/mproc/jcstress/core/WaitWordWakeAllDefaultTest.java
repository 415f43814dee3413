package dev.mproc.jcstress.core;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import dev.mproc.core.WaitStrategies;
import dev.mproc.core.WaitStrategy;
import dev.mproc.core.WaitWord;
import dev.mproc.jcstress.harness.TwoMappings;
import dev.mproc.jcstress.harness.WaitChecks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * As {@link WaitWordWakeAllSleepingTest} with {@link WaitStrategies#defaultStrategy()}, which spins
 * first (50 us to start with) and then sleeps: the signal lands in the spin, in the hand-over from
 * spinning to sleeping, or in the sleep, and none of them may lose it.
 */
@JCStressTest(Mode.Termination)
@Description("WaitWord.wakeAll through mapping A wakes a default-strategy waiter on mapping B")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the word change and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the signal threw")
@State
public class WaitWordWakeAllDefaultTest {
    private final WaitWord wordA;
    private final WaitWord wordB;
    private final WaitStrategy strategy = WaitStrategies.defaultStrategy();

    public WaitWordWakeAllDefaultTest() {
        WaitChecks.requireLostWakeUpsVisible();
        final long slot = TwoMappings.claimSlot();
        wordA = WaitWord.at(TwoMappings.mappingA(), slot);
        wordB = WaitWord.at(TwoMappings.mappingB(), slot);
    }

    @Actor
    public void waiter() {
        strategy.awaitUninterruptibly(wordB, () -> wordB.get() == 1);
    }

    @Signal
    public void signal() {
        wordA.set(1);
        wordA.wakeAll();
    }
}
