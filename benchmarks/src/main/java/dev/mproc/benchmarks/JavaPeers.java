package dev.mproc.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java peers the harness measures itself, in the same run and the same way as mproc: each is a
 * {@link dev.mproc.benchmarks.transport.Transport} whose workloads are named like ours with its
 * transport id in place of ours ({@code size-sweep-pipe} beside {@code size-sweep-uds}), so a
 * figure of ours is compared with the figure of the same name of each peer's twin workload.
 */
public final class JavaPeers {
    /** One peer: its source id in {@link PeerRef}, its transport id in workload names, its name. */
    record Peer(String source, String transportId, String title) {
    }

    /** In report column order. */
    static final List<Peer> ALL = List.of(
        new Peer(PeerRef.UDS, "uds", "UDS SocketChannel"),
        new Peer(PeerRef.AGRONA, "agrona", "Agrona ring buffer"),
        new Peer(PeerRef.CHRONICLE, "chronicle", "Chronicle Queue"));

    private JavaPeers() {
    }

    /**
     * @param oursIsPeer   true when the workload asking is itself a peer's (then it has no peers)
     * @param prefix       the workload name without its transport id, e.g. {@code "size-sweep-"}
     * @param figure       the figure's name, the same in every twin
     * @param transportIds the peers' transport ids to compare with, e.g. {@code "uds", "agrona"}
     *                     (a peer that has no such workload is left out)
     * @return the references to the twins' figures
     */
    public static PeerRef[] sameFigure(final boolean oursIsPeer, final String prefix, final String figure,
                                       final String... transportIds) {
        if (oursIsPeer) {
            return new PeerRef[0];
        }
        final List<PeerRef> refs = new ArrayList<>();
        for (final String id : transportIds) {
            final Peer peer = ALL.stream().filter(p -> id.startsWith(p.transportId())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Java peer for transport id " + id));
            refs.add(PeerRef.measured(peer.source(), prefix + id, figure, labelOf(id)));
        }
        return refs.toArray(PeerRef[]::new);
    }

    /**
     * @param source a peer program's id
     * @return true if it is one of the Java peers the harness measures itself
     */
    static boolean isJavaPeer(final String source) {
        return ALL.stream().anyMatch(p -> p.source().equals(source));
    }

    /**
     * Gathers a Java peer's figures from the workloads that measured it in this run, so that the
     * report can set them beside ours as it sets the C and CPython figures.
     *
     * @param peer    the peer
     * @param results every workload's result, ours and the peers'
     * @return its figures keyed by {@link PeerRef#measuredKey}, every measured run's value kept
     */
    static PeerRun runOf(final Peer peer, final List<WorkloadResult> results) {
        final List<WorkloadResult> mine = results.stream()
            .filter(r -> peer.source().equals(r.workload().peerSource()))
            .toList();
        final String command = "measured by this harness, as mproc is: "
            + (mine.isEmpty() ? "no workload selected" : String.join(", ", mine.stream().map(r -> r.workload().name())
                .toList()));
        final Duration took = mine.stream().map(WorkloadResult::took).reduce(Duration.ZERO, Duration::plus);
        if (mine.isEmpty()) {
            return PeerRun.unavailable(peer.source(), peer.title(), command,
                "none of its workloads was selected (-Dbench.only)", "", took);
        }
        final Map<String, PeerValue> figures = new LinkedHashMap<>();
        final List<String> failures = new ArrayList<>();
        for (final WorkloadResult result : mine) {
            if (result.failed()) {
                failures.add(result.workload().name() + " failed: " + result.failure());
                continue;
            }
            for (final Figure figure : result.workload().figures()) {
                final List<Double> values = Arrays.stream(result.values(figure.name()))
                    .filter(v -> !Double.isNaN(v)).boxed().toList();
                if (!values.isEmpty()) {
                    figures.put(PeerRef.measuredKey(result.workload().name(), figure.name()),
                        new PeerValue(values, figure.unit()));
                }
            }
        }
        if (figures.isEmpty()) {
            return PeerRun.unavailable(peer.source(), peer.title(), command, String.join("; ", failures), "", took);
        }
        return new PeerRun(peer.source(), peer.title(), command, null, String.join("\n", failures), took, figures);
    }

    /** What a peer column calls a transport's figure. */
    private static String labelOf(final String transportId) {
        return switch (transportId) {
            case "uds" -> "UDS SocketChannel";
            case "agrona" -> "Agrona OneToOneRingBuffer";
            case "agrona-m2o" -> "Agrona ManyToOneRingBuffer";
            case "chronicle" -> "Chronicle Queue";
            default -> transportId;
        };
    }
}
