package dev.mproc.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The leftover check itself: {@link NoLeftoversExtension}, on every test class of this module,
 * must fail a test that leaves a namespace (its own or a child's) under the mproc root, must
 * remove what it found, and must pass a test that cleans up. Each case runs in-process through the
 * JUnit test kit; the cases are static nested classes, which surefire does not run on its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class NoLeftoversTest {

    @Test
    void shouldLocateTheUserRootWhereCoreKeepsIt() {
        final boolean existed = Files.exists(NoLeftoversExtension.userRoot());
        try {
            // Namespace.userRoot() creates the directory: the extension must compute the same path
            // without creating it.
            assertEquals(Namespace.userRoot(), NoLeftoversExtension.userRoot());
        } finally {
            if (!existed) {
                try {
                    Files.deleteIfExists(NoLeftoversExtension.userRoot());
                } catch (final java.io.IOException e) {
                    // Another build's namespace lives there now.
                }
            }
        }
    }

    @Test
    void shouldFailATestThatLeavesANamedNamespaceBehind() {
        final Events tests = run(LeavesNamedNamespace.class);

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        final Throwable failure = failureOf(tests);
        assertInstanceOf(AssertionError.class, failure);
        assertNotNull(LeavesNamedNamespace.directory);
        assertTrue(failure.getMessage().contains(LeavesNamedNamespace.directory.toString()), failure.getMessage());
        assertFalse(Files.exists(LeavesNamedNamespace.directory), "the check did not remove what it reported");
    }

    @Test
    void shouldFailATestWhoseKilledChildLeavesItsPrivateNamespaceBehind() {
        // In a root of its own: another build's createPrivate() would otherwise be free to sweep the
        // dead child's directory before the check sees it, and the case would pass.
        try (IsolatedRoot root = IsolatedRoot.create()) {
            final Events tests = run(LeavesKilledChildsNamespace.class);

            tests.assertStatistics(stats -> stats.started(1).failed(1));
            final Throwable failure = failureOf(tests);
            assertNotNull(LeavesKilledChildsNamespace.directory);
            assertTrue(LeavesKilledChildsNamespace.directory.startsWith(root.directory()));
            assertTrue(failure.getMessage().contains(LeavesKilledChildsNamespace.directory.toString()), failure.getMessage());
            assertFalse(Files.exists(LeavesKilledChildsNamespace.directory), "the check did not remove what it reported");
        }
    }

    @Test
    void shouldFailATestThatLeavesAChildRunning() {
        final Events tests = run(LeavesChildRunning.class);

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        assertTrue(failureOf(tests).getMessage().contains("was never closed by its test"), failureOf(tests).getMessage());
        assertNotNull(LeavesChildRunning.child);
        assertFalse(LeavesChildRunning.child.isAlive(), "the check did not end the child");
    }

    @Test
    void shouldPassATestThatCleansUp() {
        run(CleansUp.class).assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    private static Events run(final Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    private static Throwable failureOf(final Events tests) {
        return tests.failed().stream().findFirst().orElseThrow()
            .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** Leaks a named namespace: it would outlive this JVM. */
    @ExtendWith(NoLeftoversExtension.class)
    static final class LeavesNamedNamespace {
        static volatile Path directory;

        @Test
        void shouldLeaveANamedNamespace() {
            directory = Namespace.open(TestNames.unique("leak")).directory();
        }
    }

    /** Leaks a private namespace of a child killed by SIGKILL, which no shutdown hook removed. */
    @ExtendWith(NoLeftoversExtension.class)
    static final class LeavesKilledChildsNamespace {
        static volatile Path directory;

        @Test
        void shouldLeaveAKilledChildsNamespace() {
            try (ChildJvm child = ChildJvm.start(NamespaceChild.class, "private-abandon")) {
                directory = Path.of(child.awaitLine("DIR", Duration.ofSeconds(20)));
                child.kill();
                child.waitFor(Duration.ofSeconds(10));
            }
        }
    }

    /** Forgets to close a child JVM. */
    @ExtendWith(NoLeftoversExtension.class)
    static final class LeavesChildRunning {
        static volatile ChildJvm child;

        @Test
        void shouldLeaveAChildRunning() {
            child = ChildJvm.start(NamespaceChild.class, "private-abandon");
            child.awaitLine("DIR", Duration.ofSeconds(20));
        }
    }

    /** Creates a private and a named namespace and removes both. */
    @ExtendWith(NoLeftoversExtension.class)
    static final class CleansUp {
        @Test
        void shouldCloseAPrivateNamespace() {
            Namespace.createPrivate().close();
        }

        @Test
        void shouldUnlinkANamedNamespace() {
            Namespace.open(TestNames.unique("tidy")).unlink();
        }
    }
}
