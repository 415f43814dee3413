package dev.mproc.core;

import java.util.function.Supplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * Waits with an Agrona {@link IdleStrategy}: the condition is polled, and between polls the idle
 * strategy decides how to pause (spin, yield, park, back off). It never sleeps on the futex, so
 * wakers never need to enter the kernel for it. Agrona's idle strategies keep per-thread state,
 * so each thread gets its own from the supplier.
 */
final class IdleStrategyAdapter implements WaitStrategy {
    private final ThreadLocal<IdleStrategy> perThread;
    private final String name;

    IdleStrategyAdapter(final Supplier<? extends IdleStrategy> factory) {
        this.perThread = ThreadLocal.withInitial(factory);
        this.name = "IdleStrategyAdapter[" + perThread.get().getClass().getSimpleName() + "]";
    }

    @Override
    public boolean await(
        final WaitWord word,
        final WaitCondition condition,
        final long timeoutNanos,
        final boolean interruptible) throws InterruptedException {
        if (condition.isSatisfied()) {
            return true;
        }
        final IdleStrategy idle = perThread.get();
        idle.reset();
        final long deadline = SpinThenSleepStrategy.deadline(System.nanoTime(), timeoutNanos);
        boolean interrupted = false;
        try {
            while (!condition.isSatisfied()) {
                if (System.nanoTime() - deadline >= 0) {
                    return condition.isSatisfied();
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                idle.idle();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
