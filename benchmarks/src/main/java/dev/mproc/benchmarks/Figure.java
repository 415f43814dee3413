package dev.mproc.benchmarks;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One number a workload produces in every measured run, and how to judge it.
 *
 * @param name   unique within its workload, e.g. {@code "rtt p50"}
 * @param unit   the unit the workload reports it in, e.g. {@code "ns"}, {@code "M ops/s"}; peers'
 *               values are converted to it (see {@link Units})
 * @param better which way it improves
 * @param target the goal from PERFORMANCE.md, as text for the report ({@code ""} if none)
 * @param peers  at most one peer figure per peer program
 */
public record Figure(String name, String unit, Better better, String target, List<PeerRef> peers) {

    /**
     * Checks the parts and copies the peer list.
     *
     * @param name   unique within its workload
     * @param unit   its unit
     * @param better which way it improves
     * @param target the goal, or ""
     * @param peers  the peer figures
     */
    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
        Objects.requireNonNull(target, "target");
        peers = List.copyOf(peers);
        if (name.isBlank() || name.contains("\n") || name.contains("|")) {
            throw new IllegalArgumentException("a figure name is one line without '|': name=" + name);
        }
        if (peers.stream().map(PeerRef::source).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("at most one peer figure per peer program: " + name + " " + peers);
        }
    }

    /**
     * @param name   the figure's name
     * @param unit   its unit
     * @param better which way it improves
     * @param target the goal, or ""
     * @param peers  the peer figures
     * @return a figure compared against the given peers
     */
    public static Figure of(
        final String name, final String unit, final Better better, final String target, final PeerRef... peers) {
        return new Figure(name, unit, better, target, List.of(peers));
    }

    /**
     * @param name the figure's name
     * @param unit its unit
     * @return an informational figure: no peer, no ratio
     */
    public static Figure info(final String name, final String unit) {
        return new Figure(name, unit, Better.NEITHER, "", List.of());
    }

    /**
     * @param source a peer program's id
     * @return the figure of that peer this one is compared against, if any
     */
    public Optional<PeerRef> peer(final String source) {
        return peers.stream().filter(p -> p.source().equals(source)).findFirst();
    }
}
