package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The futex contract, on Linux's kernel futex and on the portable polling stand-in: an await
 * returns at once when the word already differs, times out no earlier than asked, and a sleeper is
 * woken by a wake after the word changes, also when the wake comes through another mapping of the
 * file (which only a process-shared, non-private futex does). Words are in a region's body, mapped
 * twice, as two processes would map them.
 */
@Timeout(60)
class FutexTest {
    private static final RegionKind KIND = RegionKind.of("TFTX");
    private static final long BODY_LENGTH = 4096;
    private static final long LONG_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Namespace namespace;
    private MappedRegion a;
    private MappedRegion b;
    private final List<Thread> sleepers = new ArrayList<>();

    static Stream<Named<Futex>> futexes() {
        return Stream.of(Named.of("system", Futex.system()), Named.of("polling", Futex.polling()));
    }

    @BeforeEach
    void mapOneFileTwice() {
        namespace = Namespace.createPrivate();
        a = namespace.createRegion("futex", KIND, 1, BODY_LENGTH, r -> { });
        b = namespace.attachRegion("futex", KIND, 1);
    }

    @AfterEach
    void releaseSleepersAndDelete() throws InterruptedException {
        try {
            // A failed test may leave a sleeper behind: change every word it could sleep on, wake it.
            for (long offset = 0; offset < 64; offset += 4) {
                a.putIntVolatile(offset, -1);
                Futex.system().wake(a.segment(), offset, Integer.MAX_VALUE);
            }
            for (final Thread sleeper : sleepers) {
                sleeper.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(sleeper.isAlive(), "sleeper still running: " + sleeper);
            }
        } finally {
            a.close();
            b.close();
            namespace.close();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldUseTheKernelFutexOnLinux() {
        final String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("aarch64"), "futex is bound on x86-64 and AArch64 only");
        assumeTrue(System.getProperty("mproc.futex") == null, "polling forced by -Dmproc.futex");

        assertTrue(Futex.system().isNative(), Futex.system().toString());
        assertFalse(Futex.polling().isNative());
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldReturnValueChangedWhenTheWordDiffers(final Futex futex) {
        a.putIntVolatile(8, 5);

        final long start = System.nanoTime();
        assertEquals(Futex.WaitResult.VALUE_CHANGED, futex.await(b.segment(), 8, 4, LONG_SLEEP_NANOS));
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis < 5_000, "must not sleep when the word differs: " + elapsedMillis + " ms");
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldTimeOutNoEarlierThanAsked(final Futex futex) {
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(200);

        final long start = System.nanoTime();
        final Futex.WaitResult result = futex.await(a.segment(), 0, 0, timeoutNanos);
        final long elapsed = System.nanoTime() - start;

        assertEquals(Futex.WaitResult.TIMED_OUT, result);
        // The kernel's relative timeout and System.nanoTime both use CLOCK_MONOTONIC; allow for the
        // clock's granularity only.
        assertTrue(elapsed >= timeoutNanos - TimeUnit.MILLISECONDS.toNanos(1), "woke early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "woke far too late: " + elapsed + " ns");
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldReportNoWakeWhenNobodySleeps(final Futex futex) {
        assertEquals(0, futex.wake(a.segment(), 0, 1));
        assertEquals(0, futex.wake(b.segment(), 0, Integer.MAX_VALUE));
    }

    @Test
    void shouldWakeAKernelSleeperAfterTheWordChanges() throws Exception {
        assumeKernelFutexObservable();
        wakeOneSleeper(a, a);
    }

    @Test
    void shouldWakeASleeperThroughAnotherMappingOfTheSameFile() throws Exception {
        assumeKernelFutexObservable();
        // Different virtual addresses, one physical page: a private futex would never see this wake.
        wakeOneSleeper(a, b);
    }

    private void wakeOneSleeper(final MappedRegion sleepVia, final MappedRegion wakeVia) throws Exception {
        final Futex futex = Futex.system();
        final WaitWord seenByWaker = new WaitWord(wakeVia.segment(), 0, futex);
        final CompletableFuture<Futex.WaitResult> result = startSleeper(sleepVia, 0, futex);

        // Announced (through the waker's own mapping), then queued in the kernel on the word.
        Eventually.until(() -> seenByWaker.sleepers() == 1, () -> "sleeper announced: " + seenByWaker);
        Eventually.until(() -> KernelFutexWaiters.count(sleepVia.segment().address()) == 1,
            () -> "sleeper queued in futex_wait");
        assertFalse(result.isDone(), () -> "returned before any wake: " + result.join());

        wakeVia.putIntVolatile(0, 1);
        final long start = System.nanoTime();
        assertEquals(1, futex.wake(wakeVia.segment(), 0, 1));

        assertEquals(Futex.WaitResult.WOKEN, result.get(30, TimeUnit.SECONDS));
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis < 5_000, "woken late: " + elapsedMillis + " ms");
        Eventually.until(() -> seenByWaker.sleepers() == 0, () -> "sleeper withdrawn: " + seenByWaker);
    }

    @Test
    void shouldWakeNoMoreSleepersThanAsked() throws Exception {
        assumeKernelFutexObservable();
        final Futex futex = Futex.system();
        final WaitWord word = new WaitWord(a.segment(), 16, futex);
        final CompletableFuture<Futex.WaitResult> first = startSleeper(a, 16, futex);
        final CompletableFuture<Futex.WaitResult> second = startSleeper(b, 16, futex);
        final long physicalA = a.segment().address() + 16;
        final long physicalB = b.segment().address() + 16;
        Eventually.until(() -> word.sleepers() == 2, () -> "two sleepers announced: " + word);
        Eventually.until(() -> KernelFutexWaiters.count(physicalA) + KernelFutexWaiters.count(physicalB) == 2,
            () -> "two sleepers queued in futex_wait");

        a.putIntVolatile(16, 1);
        assertEquals(1, futex.wake(a.segment(), 16, 1), "one asked, one woken");
        final CompletableFuture<Object> either = CompletableFuture.anyOf(first, second);
        assertEquals(Futex.WaitResult.WOKEN, either.get(30, TimeUnit.SECONDS));
        // The other stays queued even though the word changed: the kernel checks it only on entry.
        assertFalse(first.isDone() && second.isDone(), "both returned after a wake of one");
        assertEquals(1, futex.wake(b.segment(), 16, Integer.MAX_VALUE));
        assertEquals(Futex.WaitResult.WOKEN, first.get(30, TimeUnit.SECONDS));
        assertEquals(Futex.WaitResult.WOKEN, second.get(30, TimeUnit.SECONDS));
        assertEquals(0, futex.wake(a.segment(), 16, Integer.MAX_VALUE));
    }

    @Test
    void shouldNoticeAChangedWordWithoutAWakeWhenPolling() throws Exception {
        final Futex futex = Futex.polling();
        final WaitWord word = new WaitWord(b.segment(), 0, futex);
        final CompletableFuture<Futex.WaitResult> result = startSleeper(a, 0, futex);
        final Thread sleeper = sleepers.getLast();

        // The polling futex parks only in its back-off loop: a timed park shows it is polling.
        Eventually.until(() -> word.sleepers() == 1 && sleeper.getState() == Thread.State.TIMED_WAITING,
            () -> "polling sleeper in back-off, state " + sleeper.getState());

        b.putIntVolatile(0, 1);
        final long start = System.nanoTime();
        assertEquals(0, futex.wake(b.segment(), 0, 1), "the stand-in never reports wakes");
        assertEquals(Futex.WaitResult.WOKEN, result.get(30, TimeUnit.SECONDS));
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis < 5_000, "noticed late: " + elapsedMillis + " ms");
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldRefuseOffsetsOutsideTheSegment(final Futex futex) {
        final MemorySegment segment = a.segment();
        for (final long offset : new long[] {-4, BODY_LENGTH, BODY_LENGTH - 3, BODY_LENGTH + 4, Long.MAX_VALUE,
            Long.MIN_VALUE}) {
            final IndexOutOfBoundsException await = assertThrows(IndexOutOfBoundsException.class,
                () -> futex.await(segment, offset, 0, 1_000_000), "await at " + offset);
            assertTrue(await.getMessage().contains("offset=" + offset), await.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> futex.wake(segment, offset, 1), "wake at " + offset);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> new WaitWord(segment, BODY_LENGTH - 4, futex),
            "the sleeper count would lie outside");
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldRefuseMisalignedOffsets(final Futex futex) {
        final MemorySegment segment = a.segment();
        for (final long offset : new long[] {1, 2, 3, 6, BODY_LENGTH - 6}) {
            final IllegalArgumentException await = assertThrows(IllegalArgumentException.class,
                () -> futex.await(segment, offset, 0, 1_000_000), "await at " + offset);
            assertTrue(await.getMessage().contains("aligned") && await.getMessage().contains("offset=" + offset),
                await.getMessage());
            assertThrows(IllegalArgumentException.class, () -> futex.wake(segment, offset, 1), "wake at " + offset);
        }
        assertThrows(IllegalArgumentException.class, () -> new WaitWord(segment, 2, futex));
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void shouldRejectANonPositiveTimeout(final Futex futex) {
        for (final long timeout : new long[] {0, -1, Long.MIN_VALUE}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> futex.await(a.segment(), 0, 0, timeout));
            assertTrue(e.getMessage().contains("timeoutNanos=" + timeout), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static void assumeKernelFutexObservable() {
        assumeTrue(Futex.system().isNative(), "no kernel futex here");
        assumeTrue(KernelFutexWaiters.observable(), "cannot read /proc/self/task/*/syscall");
    }

    /** Starts a thread that announces itself on the word at {@code offset} and sleeps while it is 0. */
    private CompletableFuture<Futex.WaitResult> startSleeper(
        final MappedRegion region,
        final long offset,
        final Futex futex) {
        final WaitWord word = new WaitWord(region.segment(), offset, futex);
        final CompletableFuture<Futex.WaitResult> result = new CompletableFuture<>();
        final Thread sleeper = new Thread(() -> {
            word.announceSleeper();
            try {
                result.complete(futex.await(region.segment(), offset, 0, LONG_SLEEP_NANOS));
            } catch (final Throwable t) {
                result.completeExceptionally(t);
            } finally {
                word.withdrawSleeper();
            }
        }, "futex-sleeper-" + sleepers.size());
        sleeper.setDaemon(true);
        sleepers.add(sleeper);
        sleeper.start();
        return result;
    }
}
