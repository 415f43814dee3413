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
 * A waiter that sleeps on the futex at once ({@link WaitStrategies#sleeping()}) on mapping B's
 * wait word is woken by a change of the word and {@link WaitWord#wakeAll()} made through mapping
 * A: the wake must reach a sleeper that mapped the file at another address, and must not be lost
 * when it races with the waiter announcing itself.
 * <p>
 * jcstress signals once the waiter's thread has started, before, during or after it goes to sleep;
 * a waiter still asleep 30 s later is STALE. {@link WaitChecks} makes sure a lost wake-up cannot be
 * rescued by the end of a sleep slice.
 */
@JCStressTest(Mode.Termination)
@Description("WaitWord.wakeAll through mapping A wakes a sleeping() waiter on mapping B")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the word change and returned")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "the wake-up was lost: the waiter still sleeps")
@Outcome(expect = FORBIDDEN, desc = "the waiter or the signal threw")
@State
public class WaitWordWakeAllSleepingTest {
    private final WaitWord wordA;
    private final WaitWord wordB;
    private final WaitStrategy strategy = WaitStrategies.sleeping();

    public WaitWordWakeAllSleepingTest() {
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
