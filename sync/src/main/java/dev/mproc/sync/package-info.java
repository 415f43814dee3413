/**
 * Cross-process synchronisation: {@link dev.mproc.sync.Lock}, {@link dev.mproc.sync.RLock},
 * {@link dev.mproc.sync.Semaphore}, {@link dev.mproc.sync.BoundedSemaphore},
 * {@link dev.mproc.sync.Event}, {@link dev.mproc.sync.Condition} and {@link dev.mproc.sync.Barrier},
 * each a small serialisable handle on a memory-mapped file of a namespace, made by
 * {@link dev.mproc.sync.Synchronizers}. Blocked callers spin briefly, then sleep on a futex in the
 * shared memory; the locks survive the death of their holder.
 */
package dev.mproc.sync;
