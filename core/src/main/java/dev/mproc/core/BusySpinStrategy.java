package dev.mproc.core;

/**
 * Waits by spinning only, never sleeping: the lowest latency, at the price of a whole core per
 * waiter. Use it where both sides own a core (latency benchmarks, pinned threads); never where
 * waiters outnumber cores. The timeout and interrupt status are checked every 256 rounds.
 */
final class BusySpinStrategy implements WaitStrategy {
    static final BusySpinStrategy INSTANCE = new BusySpinStrategy();

    private BusySpinStrategy() {
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
        final long start = System.nanoTime();
        final long deadline = SpinThenSleepStrategy.deadline(start, timeoutNanos);
        boolean interrupted = false;
        try {
            for (int round = 1; ; round++) {
                if (condition.isSatisfied()) {
                    return true;
                }
                Thread.onSpinWait();
                if ((round & 255) == 0) {
                    if (System.nanoTime() - deadline >= 0) {
                        return condition.isSatisfied();
                    }
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            throw new InterruptedException();
                        }
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "BusySpinStrategy";
    }
}
