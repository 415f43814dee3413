package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import dev.mproc.benchmarks.transport.AgronaTransport;
import dev.mproc.benchmarks.transport.ChronicleTransport;
import dev.mproc.benchmarks.transport.JournalTransport;
import dev.mproc.benchmarks.transport.PipeTransport;
import dev.mproc.benchmarks.transport.QueueTransport;
import dev.mproc.benchmarks.transport.Transport;
import dev.mproc.benchmarks.transport.UdsTransport;
import dev.mproc.benchmarks.workloads.CasUncontended;
import dev.mproc.benchmarks.workloads.EchoLatency;
import dev.mproc.benchmarks.workloads.EventPingPong;
import dev.mproc.benchmarks.workloads.LockContended;
import dev.mproc.benchmarks.workloads.LockHandoff;
import dev.mproc.benchmarks.workloads.LockUncontended;
import dev.mproc.benchmarks.workloads.PingPongSpin;
import dev.mproc.benchmarks.workloads.PingPongWaiting;
import dev.mproc.benchmarks.workloads.PipeBytes;
import dev.mproc.benchmarks.workloads.PipeObjects;
import dev.mproc.benchmarks.workloads.PipePingPong;
import dev.mproc.benchmarks.workloads.PoolMap;
import dev.mproc.benchmarks.workloads.PoolStartup;
import dev.mproc.benchmarks.workloads.PoolWorkerMemory;
import dev.mproc.benchmarks.workloads.PoolWorkersSweep;
import dev.mproc.benchmarks.workloads.ProducerSweep;
import dev.mproc.benchmarks.workloads.ProcessStart;
import dev.mproc.benchmarks.workloads.QueueInts;
import dev.mproc.benchmarks.workloads.QueueLargeMessages;
import dev.mproc.benchmarks.workloads.SharedCounter;
import dev.mproc.benchmarks.workloads.SizeSweep;

/**
 * Every workload the suite runs, in report order. A new workload is added here; the child JVMs
 * find it by name through the same list.
 */
public final class Workloads {
    private static final Transport PIPE = new PipeTransport();
    private static final Transport QUEUE = new QueueTransport();
    private static final Transport JOURNAL = new JournalTransport();
    private static final Transport UDS = new UdsTransport();
    private static final Transport AGRONA = AgronaTransport.oneToOneRing();
    private static final Transport AGRONA_M2O = AgronaTransport.manyToOneRing();

    private static final Transport CHRONICLE = new ChronicleTransport();

    private static final List<Workload> ALL = List.of(
        new PingPongSpin(),
        PingPongWaiting.defaultStrategy(),
        PingPongWaiting.sleeping(),
        new CasUncontended(),
        new LockUncontended(),
        LockHandoff.spinning(),
        LockHandoff.sleeping(),
        new LockContended(),
        new EventPingPong(),
        PipeBytes.small(),
        new PipeObjects(),
        QueueInts.oneProducer(),
        QueueInts.fourProducers(),
        PipeBytes.large(),
        new QueueLargeMessages(),
        PipePingPong.spinning(),
        PipePingPong.defaultStrategy(),
        SharedCounter.atomic(),
        SharedCounter.locked(),
        new ProcessStart(),
        new PoolStartup(),
        new PoolMap(),
        new PoolWorkerMemory(),
        new PoolWorkersSweep(),
        // Transport-generic workloads: mproc's, then each Java peer's twin of them.
        new SizeSweep(PIPE),
        new SizeSweep(QUEUE),
        EchoLatency.underLoad(PIPE),
        EchoLatency.bursts(PIPE),
        new ProducerSweep(QUEUE),
        new SizeSweep(JOURNAL),
        EchoLatency.underLoad(JOURNAL),
        EchoLatency.bursts(JOURNAL),

        // The Java peers' twins: a Unix-domain socket, Agrona's rings, Chronicle Queue.
        new SizeSweep(UDS),
        EchoLatency.underLoad(UDS),
        EchoLatency.bursts(UDS),
        new SizeSweep(AGRONA),
        EchoLatency.underLoad(AGRONA),
        EchoLatency.bursts(AGRONA),
        new ProducerSweep(AGRONA_M2O),
        new SizeSweep(CHRONICLE),
        EchoLatency.underLoad(CHRONICLE),
        EchoLatency.bursts(CHRONICLE));

    private Workloads() {
    }

    /**
     * @return every workload, in report order
     */
    public static List<Workload> all() {
        return ALL;
    }

    /**
     * @param name a workload's name
     * @return the workload
     * @throws IllegalArgumentException naming the known workloads if there is none of that name
     */
    public static Workload byName(final String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no workload named " + name + "; known: " + names()));
    }

    /**
     * @param names names asked for; empty means all
     * @return those workloads, in the order asked
     */
    public static List<Workload> select(final Collection<String> names) {
        if (names.isEmpty()) {
            return ALL;
        }
        final List<Workload> selected = new ArrayList<>();
        for (final String name : names) {
            selected.add(byName(name));
        }
        return selected;
    }

    private static String names() {
        return ALL.stream().map(Workload::name).collect(Collectors.joining(", "));
    }
}
