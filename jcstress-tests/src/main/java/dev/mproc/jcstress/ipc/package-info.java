/**
 * jcstress tests of the {@code ipc} module: pipes, queues and shared values, each "process" of a
 * test using its own handle on the object, on its own mapping of the object's file.
 * <p>
 * The objects come from {@link dev.mproc.jcstress.harness.PairPool}s (one per test class, see
 * {@code IpcPairs}): a pipe's two ends (its left end on the mapping that created the file, its
 * right end on a second mapping), or a queue or shared value made by {@code create} and a second
 * handle made by {@code attach} of its file. Pipes and queues have the smallest ring, 1 KiB, and
 * are lent to state after state without being reset, so their positions run on through the ring:
 * the tests cross its end, with padding records, at ever different offsets. What a test sends
 * carries a stamp of the state (see {@code Messages}), so a stale record of an earlier state never
 * passes for a new one.
 * <ul>
 *   <li>Nothing lost, duplicated, reordered or corrupted:
 *   {@link dev.mproc.jcstress.ipc.PipeMessageOrderTest} (single producer and consumer, raw and
 *   encoded messages), {@link dev.mproc.jcstress.ipc.PipeFragmentedMessageTest} (a message in three
 *   fragments, gathered while it is written, arrives whole),
 *   {@link dev.mproc.jcstress.ipc.QueueTwoProducersTwoConsumersTest} (producers and consumers
 *   racing on two handles; each producer's order kept).</li>
 *   <li>Atomic updates: {@link dev.mproc.jcstress.ipc.SharedCountersTest} ({@code SharedLong},
 *   {@code SharedIntArray}), {@link dev.mproc.jcstress.ipc.SharedDoubleAddTest}.</li>
 *   <li>No lost wake-up, in {@code Mode.Termination}:
 *   {@link dev.mproc.jcstress.ipc.PipeBlockedRecvTest} (a send releases a blocked recv),
 *   {@link dev.mproc.jcstress.ipc.PipeBlockedSendTest} (a recv releases a send blocked by a full
 *   ring), {@link dev.mproc.jcstress.ipc.QueueBlockedTakeTest} (a put releases a blocked take).</li>
 * </ul>
 * Every test has two actors (see the {@code sync} package for why), so the queue test's actors
 * each put and then take; more producers and consumers at once are covered by the multi-JVM tests
 * of the {@code tests} module.
 */
package dev.mproc.jcstress.ipc;
