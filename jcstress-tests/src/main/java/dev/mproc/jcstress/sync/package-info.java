/**
 * jcstress tests of the {@code sync} module: every cross-process synchronisation type, each
 * "process" of a test using its own handle on the object, made by {@code X.create} or by
 * {@code X.attach(file)}: two mappings of one file at two addresses, as two processes have.
 * <p>
 * The objects come from {@link dev.mproc.jcstress.harness.PairPool}s (one per test class, see
 * {@code SyncPairs}), not from {@link dev.mproc.jcstress.harness.TwoMappings}: a sync object makes
 * its own file, too slowly to make one per jcstress state, so a state leases an idle one in its
 * constructor and its arbiter (or, in a Termination test, its actor and signal) gives it back.
 * Plain fields of the state carry the data the tests check the objects' memory effects with.
 * <ul>
 *   <li>Mutual exclusion and memory effects: {@link dev.mproc.jcstress.sync.LockMutualExclusionTest},
 *   {@link dev.mproc.jcstress.sync.RLockReentrantExclusionTest} (with re-entry and hold counts),
 *   {@link dev.mproc.jcstress.sync.SemaphoreOnePermitTest},
 *   {@link dev.mproc.jcstress.sync.SemaphoreMultiPermitTest} (never more permits out than exist),
 *   {@link dev.mproc.jcstress.sync.BoundedSemaphoreOverReleaseTest} (the over-release is refused
 *   atomically), {@link dev.mproc.jcstress.sync.EventPublicationTest},
 *   {@link dev.mproc.jcstress.sync.BarrierTwoGenerationsTest} (arrival indices, generations).</li>
 *   <li>No lost wake-up, in {@code Mode.Termination}: a call blocked through one mapping is
 *   released by the matching call through the other:
 *   {@link dev.mproc.jcstress.sync.LockBlockedUnlockTest},
 *   {@link dev.mproc.jcstress.sync.RLockBlockedUnlockTest},
 *   {@link dev.mproc.jcstress.sync.SemaphoreBlockedReleaseTest},
 *   {@link dev.mproc.jcstress.sync.EventAwaitSetTest},
 *   {@link dev.mproc.jcstress.sync.ConditionSignalTest},
 *   {@link dev.mproc.jcstress.sync.BarrierLastArrivalTest}.</li>
 * </ul>
 * Every test has two actors: jcstress runs each actor on a CPU of its own and will not run a test
 * with more actors than the CPUs it is given (two, in this module's build), so three-party cases
 * (a semaphore of 2 shared by 3) are covered by the multi-JVM tests of the {@code tests} module
 * and, here, by two parties asking for permits that do not fit together.
 */
package dev.mproc.jcstress.sync;
