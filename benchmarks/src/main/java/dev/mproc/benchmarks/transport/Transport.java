package dev.mproc.benchmarks.transport;

import java.util.List;

import dev.mproc.benchmarks.SideContext;

/**
 * A way to move byte messages from one side JVM to another, as the transport-generic workloads
 * ({@code size-sweep-*}, {@code latency-under-load-*}, {@code burst-*}, {@code producers-*}) see
 * it: mproc's own {@link PipeTransport} and {@link QueueTransport}, and the Java peers measured
 * beside them in the same run.
 * <p>
 * A channel is named; the sender and the receiver open it by that name in their own JVMs, in
 * either order (whichever comes second attaches, waiting a bounded time for the first if it
 * must), inside the workload's namespace directory ({@link SideContext#namespace()}), which the
 * harness deletes afterwards. Messages arrive whole, in order, exactly once.
 */
public interface Transport {

    /** @return short id used in workload names: {@code pipe}, {@code queue}, {@code uds}, ... */
    String id();

    /** @return what the report and the charts call it, e.g. "mproc Pipe" */
    String label();

    /**
     * @return the peer program id ({@code PeerRef.UDS}, ...) when this is a Java peer, or null
     *         for mproc itself
     */
    String peerSource();

    /** @return extra options the sides' JVMs need for it (flags of a peer library) */
    default List<String> jvmOptions() {
        return List.of();
    }

    /** @return true if several processes may send into one channel at once */
    default boolean manyToOne() {
        return false;
    }

    /**
     * @param context         the side
     * @param channel         the channel's name, unique within the workload
     * @param maxMessageBytes the largest message that will be sent
     * @return the sending end
     * @throws Exception if it cannot be opened
     */
    MessageSender openSender(SideContext context, String channel, int maxMessageBytes) throws Exception;

    /**
     * @param context         the side
     * @param channel         the channel's name
     * @param maxMessageBytes the largest message that will be received
     * @return the receiving end
     * @throws Exception if it cannot be opened
     */
    MessageReceiver openReceiver(SideContext context, String channel, int maxMessageBytes) throws Exception;
}
