package dev.mproc.benchmarks.workloads;

import java.util.List;
import java.util.Objects;

import dev.mproc.benchmarks.Workload;
import dev.mproc.benchmarks.transport.Transport;

/**
 * What the transport-generic workloads ({@link SizeSweep}, {@link EchoLatency},
 * {@link ProducerSweep}) share: the transport they run over decides the sides' extra JVM options
 * and whether the workload measures mproc or a Java peer, and their region holds one
 * {@link RunClock} for all sides.
 */
abstract class TransportWorkload implements Workload {
    /** What carries the messages. */
    protected final Transport transport;

    /**
     * @param transport what carries the messages
     */
    TransportWorkload(final Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public final List<String> jvmOptions() {
        return transport.jvmOptions();
    }

    @Override
    public final String peerSource() {
        return transport.peerSource();
    }

    @Override
    public final long regionBytes() {
        return RunClock.bytesFor(sides());
    }
}
