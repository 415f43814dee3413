package dev.mproc.core;

/**
 * What a waiter waits for, re-evaluated by a {@link WaitStrategy} after every spin, yield or
 * sleep. It must read shared state with at least acquire semantics, and it may also check
 * liveness (a dead lock holder) since it runs at least once per sleep slice.
 */
@FunctionalInterface
public interface WaitCondition {
    /**
     * @return true when the wait is over
     */
    boolean isSatisfied();
}
