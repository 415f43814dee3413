package dev.mproc.tests.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.BoundedSemaphore;
import dev.mproc.sync.Semaphore;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A semaphore of {@value #PERMITS} permits shared by {@value #CHILDREN} JVMs that each enter and
 * leave {@value #ROUNDS} times: never more than {@value #PERMITS} inside at once, counted by an
 * atomic occupancy counter in shared memory. The check that the maximum also <em>reached</em>
 * {@value #PERMITS} keeps the test honest: a semaphore that let only one JVM in at a time (or a
 * test whose JVMs never overlapped) would pass the upper bound without proving anything. Plain
 * {@link Semaphore} and {@link BoundedSemaphore} alike, and both end with all permits back.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class SemaphoreAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(60);
    private static final int PERMITS = 2;
    private static final int CHILDREN = 4;
    private static final int ROUNDS = 20_000;

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
    @ValueSource(strings = {"semaphore", "bounded"})
    void shouldNeverAdmitMoreJvmsThanPermits(final String kind) {
        final List<ChildJvm> children = new ArrayList<>();
        try (MappedRegion data = namespace.createRegion("data", TestRegions.KIND, TestRegions.VERSION, SemaphoreChild.LENGTH, r -> { });
             Semaphore semaphore = Semaphore.create(namespace, "semaphore", PERMITS);
             BoundedSemaphore bounded = BoundedSemaphore.create(namespace, "bounded", PERMITS)) {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.start(SemaphoreChild.class, namespace.directory().toString(), kind, Integer.toString(ROUNDS)));
            }
            for (final ChildJvm child : children) {
                child.awaitLine("READY", STARTUP);
            }
            data.putLongRelease(SemaphoreChild.GO, 1);

            long mostReported = 0;
            final List<String> reports = new ArrayList<>();
            for (final ChildJvm child : children) {
                final String report = child.awaitLine("DONE", WORK);
                reports.add(report);
                final long seen = Long.parseLong(report.split(" ")[0]);
                assertTrue(seen <= PERMITS, child.describe("saw " + seen + " JVMs inside a semaphore of " + PERMITS));
                mostReported = Math.max(mostReported, seen);
                assertEquals(0, child.waitFor(WORK), child.describe("failed"));
            }

            final long max = data.getLongVolatile(SemaphoreChild.MAX);
            assertTrue(max <= PERMITS, max + " JVMs were inside a semaphore of " + PERMITS + " at once");
            assertEquals(PERMITS, max, "the JVMs never filled the semaphore, so the bound was not tested; "
                + "each child's most seen and milliseconds: " + reports);
            assertEquals(max, mostReported, "the shared maximum and the children's reports disagree");
            assertEquals(0, data.getLongVolatile(SemaphoreChild.OCCUPANCY), "JVMs still counted inside");
            final int available = kind.equals("bounded") ? bounded.availablePermits() : semaphore.availablePermits();
            assertEquals(PERMITS, available, "permits after every acquire was released");
        } finally {
            children.forEach(ChildJvm::close);
        }
    }
}
