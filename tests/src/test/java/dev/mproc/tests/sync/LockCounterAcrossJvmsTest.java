package dev.mproc.tests.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Lock;
import dev.mproc.sync.RLock;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import dev.mproc.tests.TestRegions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Mutual exclusion across JVMs: four child JVMs each add one to a plain long in shared memory
 * {@value #INCREMENTS} times, each time under one cross-process lock. The read and the write are
 * plain and separate, so any two increments that overlap lose one: the total is exact only if the
 * lock excludes, and it must also publish each holder's write to the next holder in another
 * process (its happens-before promise). Once with a {@link Lock}, once with an {@link RLock}
 * taken twice (re-entrantly) per increment, whose first unlock must not release it.
 * <p>
 * That the check can fail was shown by hand: with the lock calls removed from {@link CounterChild}
 * the same run counted 104,874 and 182,891 of 400,000.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class LockCounterAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(90);
    private static final int CHILDREN = 4;
    private static final int INCREMENTS = 100_000;

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
    void shouldCountExactlyUnderOneLockAcrossFourJvms(final String kind) {
        final List<ChildJvm> children = new ArrayList<>();
        // Only one of the two is used; both exist so that the child finds whichever it is told to.
        try (MappedRegion data = namespace.createRegion("data", TestRegions.KIND, TestRegions.VERSION, CounterChild.LENGTH, r -> { });
             Lock lock = Lock.create(namespace, "lock");
             RLock rlock = RLock.create(namespace, "rlock")) {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.start(CounterChild.class, namespace.directory().toString(), kind, Integer.toString(INCREMENTS)));
            }
            for (final ChildJvm child : children) {
                child.awaitLine("READY", STARTUP);
            }
            // Release: the children acquire-read the flag; all start hammering at about the same time.
            data.putLongRelease(CounterChild.GO, 1);

            for (final ChildJvm child : children) {
                assertEquals(Integer.toString(INCREMENTS), child.awaitLine("DONE", WORK).split(" ")[0], child.describe("did not finish"));
                assertEquals(0, child.waitFor(WORK), child.describe("failed"));
            }

            // Every child has exited: each increment landed, or was lost for good.
            assertEquals((long) CHILDREN * INCREMENTS, data.getLongVolatile(CounterChild.COUNTER), "increments lost");
            assertFalse(lock.isLocked() || rlock.isLocked(), "a lock was left held: " + lock + ", " + rlock);
        } finally {
            children.forEach(ChildJvm::close);
        }
    }
}
