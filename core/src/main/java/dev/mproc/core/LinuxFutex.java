package dev.mproc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code futex(2)} through the FFM linker: {@code syscall(SYS_futex, addr, op, val, timeout, 0, 0)}
 * with FUTEX_WAIT (relative timeout) and FUTEX_WAKE, never FUTEX_PRIVATE_FLAG (private futexes are
 * keyed by the process's address space and would not wake a sleeper in another process).
 * <p>
 * {@code syscall} is variadic: every argument after the number is passed as a 64-bit integer
 * (addresses as raw longs), which is what the x86-64 and AArch64 calling conventions give the
 * kernel. Passing the raw address rather than the segment means a sleeper does not pin the
 * mapping's arena, so a region can be closed while a thread sleeps on it; the kernel then answers
 * EFAULT or the sleeper wakes at its slice, and nothing crashes.
 * <p>
 * errno is captured with {@link Linker.Option#captureCallState} into per-thread memory, with the
 * relative {@code struct timespec}; neither allocates per call.
 */
final class LinuxFutex implements Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final long sysFutex;
    private final MethodHandle waitCall;
    private final MethodHandle wakeCall;
    private final ThreadLocal<CallState> callState = ThreadLocal.withInitial(CallState::new);

    private LinuxFutex(final long sysFutex, final MethodHandle waitCall, final MethodHandle wakeCall) {
        this.sysFutex = sysFutex;
        this.waitCall = waitCall;
        this.wakeCall = wakeCall;
    }

    /**
     * @return the binding, or null when not on Linux x86-64/AArch64 or the linker refuses
     */
    static LinuxFutex tryCreate() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        final long sysFutex = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> -1;
        };
        if (sysFutex < 0) {
            return null;
        }
        try {
            final Linker linker = Linker.nativeLinker();
            final MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow();
            final FunctionDescriptor sixArgs = FunctionDescriptor.of(JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
            final MethodHandle wait = linker.downcallHandle(syscall, sixArgs,
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
            // FUTEX_WAKE never blocks: a critical call skips the thread-state transition.
            final MethodHandle wake = linker.downcallHandle(syscall, sixArgs,
                Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));
            final LinuxFutex futex = new LinuxFutex(sysFutex, wait, wake);
            futex.selfTest();
            return futex;
        } catch (final RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A wake on private memory with no sleeper must return 0; anything else means no futex. */
    private void selfTest() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment word = arena.allocate(JAVA_INT);
            if (wake(word, 0, 1) != 0) {
                throw new IllegalStateException("futex self-test failed");
            }
            final WaitResult result = await(word, 0, 1, 1_000);
            if (result != WaitResult.VALUE_CHANGED) {
                throw new IllegalStateException("futex self-test failed: " + result);
            }
        }
    }

    @Override
    public WaitResult await(final MemorySegment segment, final long offset, final int expected, final long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive: timeoutNanos=" + timeoutNanos);
        }
        final long address = Futex.wordAddress(segment, offset);
        final CallState state = callState.get();
        state.timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        state.timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        final long result;
        try {
            result = (long) waitCall.invokeExact(state.capture, sysFutex, address, (long) FUTEX_WAIT,
                expected & 0xFFFF_FFFFL, state.timespecAddress, 0L, 0L);
        } catch (final Throwable t) {
            throw new IllegalStateException("futex wait call failed", t);
        }
        if (result == 0) {
            return WaitResult.WOKEN;
        }
        final int errno = (int) ERRNO.get(state.capture, 0L);
        return switch (errno) {
            case EAGAIN -> WaitResult.VALUE_CHANGED;
            case ETIMEDOUT -> WaitResult.TIMED_OUT;
            case EINTR -> WaitResult.INTERRUPTED;
            default -> throw new IllegalStateException("futex wait failed: errno=" + errno
                + " offset=" + offset + " address=0x" + Long.toHexString(address));
        };
    }

    @Override
    public int wake(final MemorySegment segment, final long offset, final int count) {
        final long address = Futex.wordAddress(segment, offset);
        final long result;
        try {
            result = (long) wakeCall.invokeExact(sysFutex, address, (long) FUTEX_WAKE, (long) count, 0L, 0L, 0L);
        } catch (final Throwable t) {
            throw new IllegalStateException("futex wake call failed", t);
        }
        if (result < 0) {
            throw new IllegalStateException("futex wake failed: result=" + result
                + " offset=" + offset + " address=0x" + Long.toHexString(address));
        }
        return (int) result;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public String toString() {
        return "LinuxFutex[SYS_futex=" + sysFutex + "]";
    }

    /** Per-thread native memory for errno capture and the timeout, allocated once per thread. */
    private static final class CallState {
        final MemorySegment capture;
        final MemorySegment timespec;
        final long timespecAddress;

        CallState() {
            final Arena arena = Arena.ofAuto();
            this.capture = arena.allocate(CAPTURE);
            this.timespec = arena.allocate(16, 8);
            this.timespecAddress = timespec.address();
        }
    }
}
