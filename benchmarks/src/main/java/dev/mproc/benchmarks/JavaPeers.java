package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.List;

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
