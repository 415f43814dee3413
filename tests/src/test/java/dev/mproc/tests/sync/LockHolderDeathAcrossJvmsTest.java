package dev.mproc.tests.sync;

import dev.mproc.tests.MappedFileSleepProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A lock holder killed with SIGKILL while two other JVMs wait for the lock: the lock must not be
 * lost. Exactly one waiter takes it over, within the documented bound (about 60 ms, at most 1 s;
 * asserted here as 2 s of wall time measured by this JVM from the kill, because the machine is
 * shared), and is told {@code previousHolderDied()}; the other waiter keeps waiting, then gets the
 * lock normally when the first unlocks, and is told nothing died. An RLock held twice
 * (re-entrantly) by the killed holder is recovered the same way, with the new holder's count at 1.
 * <p>
 * The waiters are checked to be asleep in futex on the lock file before the kill ({@link
 * MappedFileSleepProbe}): a waiter that arrived only after the death would prove less (its first
 * attempt could find the holder dead without ever having waited). The takeover is observed in
 * the lock word itself ({@code holderPid()}), not in a printed line, so the latency measured
 * does not include the child's output pipe.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the waiters sleep in futex through /proc")
final class LockHolderDeathAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration PROMPT = Duration.ofSeconds(10);
    /** The documented bound is 1 s; wall time on a shared two-core machine gets double. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(2);

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = SharedRoot.createPrivateNamespace();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lock", "rlock"})
    void shouldHandAKilledHoldersLockToOneWaiterWithinTheBound(final String kind) {
        final Path file;
        final Supplier<Optional<Long>> holderPid;
        final Supplier<Long> recoveries;
        final Runnable closeHandle;
        if (kind.equals("lock")) {
            final Lock lock = Lock.create(namespace, "lock");
            file = lock.file();
            holderPid = lock::holderPid;
            recoveries = lock::recoveries;
            closeHandle = lock::close;
        } else {
            final RLock lock = RLock.create(namespace, "rlock");
            file = lock.file();
            holderPid = lock::holderPid;
            recoveries = lock::recoveries;
            closeHandle = lock::close;
        }
        // The waiters start only once the holder holds: started together, a waiter could win.
        try (ChildJvm holder = ChildJvm.start(LockHolderChild.class, "hold", file.toString(), kind)) {
            assertEquals(kind.equals("lock") ? "1" : "2", holder.awaitLine("HELD", STARTUP), holder.describe("holds wrongly"));
            assertEquals(Optional.of(holder.pid()), holderPid.get(), "the lock word names the holder");
            try (ChildJvm first = ChildJvm.start(LockHolderChild.class, "wait", file.toString(), kind);
                 ChildJvm second = ChildJvm.start(LockHolderChild.class, "wait", file.toString(), kind)) {
                for (final ChildJvm waiter : new ChildJvm[] {first, second}) {
                    waiter.awaitLine("WAITING", STARTUP);
                    if (!MappedFileSleepProbe.awaitAsleepOn(waiter.pid(), file, STARTUP)) {
                        fail(waiter.describe("never slept in futex on the lock"));
                    }
                }
                killAndCheckTakeover(holder, first, second, file, holderPid);
            }
            assertEquals(Optional.empty(), holderPid.get(), "the lock is free at the end");
            assertEquals(1L, recoveries.get(), "recoveries over the lock's life");
        } finally {
            closeHandle.run();
        }
    }

    /** Kills the holder; one waiter must take over promptly, told so, then the other normally. */
    private static void killAndCheckTakeover(final ChildJvm holder, final ChildJvm first, final ChildJvm second, final Path file,
                                             final Supplier<Optional<Long>> holderPid) {
        final long killedAt = System.nanoTime();
        holder.kill();
        final long newHolder = awaitHolderOtherThan(holder.pid(), holderPid, killedAt);
        final long takeoverNanos = System.nanoTime() - killedAt;

        final ChildJvm winner = newHolder == first.pid() ? first : second;
        final ChildJvm loser = winner == first ? second : first;
        assertEquals(winner.pid(), newHolder, "the lock went to a process that is not a waiter");
        assertTrue(takeoverNanos <= TAKEOVER_BOUND.toNanos(),
            "the lock was taken over " + TimeUnit.NANOSECONDS.toMillis(takeoverNanos) + " ms after the kill; bound "
                + TAKEOVER_BOUND.toMillis() + " ms");
        assertEquals("true 1 1", winner.awaitLine("ACQUIRED", PROMPT),
            winner.describe("should report previousHolderDied, one hold, one recovery"));
        // The other waiter did not get the lock too: it is (still or again) asleep on it.
        if (!MappedFileSleepProbe.awaitAsleepOn(loser.pid(), file, PROMPT)) {
            fail(loser.describe("stopped waiting while the lock was taken"));
        }
        assertEquals(Optional.of(winner.pid()), holderPid.get(), "the lock changed hands under its new holder");

        winner.send("UNLOCK");
        winner.awaitLine("UNLOCKED", PROMPT);
        assertEquals("false 1 1", loser.awaitLine("ACQUIRED", PROMPT),
            loser.describe("took the lock from a live holder: nothing died, nothing more recovered"));
        loser.send("UNLOCK");
        loser.awaitLine("UNLOCKED", PROMPT);

        assertEquals(0, winner.waitFor(PROMPT), winner.describe("failed"));
        assertEquals(0, loser.waitFor(PROMPT), loser.describe("failed"));
        assertEquals(128 + 9, holder.waitFor(PROMPT), holder.describe("was not ended by SIGKILL"));
    }

    /** Polls the lock word until it names a holder other than {@code deadPid}. */
    private static long awaitHolderOtherThan(final long deadPid, final Supplier<Optional<Long>> holderPid, final long since) {
        final long deadline = since + PROMPT.toNanos();
        while (true) {
            final Optional<Long> holder = holderPid.get();
            if (holder.isPresent() && holder.get() != deadPid) {
                return holder.get();
            }
            if (System.nanoTime() - deadline > 0) {
                return fail("nobody took the lock over within " + PROMPT.toMillis() + " ms of the kill; holder is " + holder);
            }
            // Polled, not spun: the waiters need the two cores to notice the death.
            LockSupport.parkNanos(100_000);
        }
    }
}
