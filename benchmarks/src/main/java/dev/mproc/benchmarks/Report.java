package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders the suite's results as markdown: a header of facts (date, machine, JDK, placement, load),
 * one table row per figure with its median, range and each peer's figure and ratio beside it,
 * notes per workload, and appendices with the peers' raw output and every run's values.
 * <p>
 * Ratios are stated so that above 1 always means mproc is better: peer / ours for times,
 * ours / peer for rates.
 */
final class Report {
    /** Prefix of a peer cell that has no value, e.g. "not available: python3 not found on PATH". */
    static final String NOT_AVAILABLE = "not available: ";

    private final String title;
    private final Map<String, String> facts;
    private final String method;
    private final List<WorkloadResult> results;
    private final List<PeerRun> peers;

    /**
     * @param title   the heading
     * @param facts   header bullets in order (name to text)
     * @param method  a paragraph on how runs are made
     * @param results the workloads' results in order
     * @param peers   the peers in column order
     */
    Report(
        final String title,
        final Map<String, String> facts,
        final String method,
        final List<WorkloadResult> results,
        final List<PeerRun> peers) {
        this.title = title;
        this.facts = new LinkedHashMap<>(facts);
        this.method = method;
        this.results = List.copyOf(results);
        this.peers = List.copyOf(peers);
    }

    String render() {
        final StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        facts.forEach((name, text) -> md.append("- **").append(name).append("**: ").append(text).append('\n'));
        md.append("\n## Method\n\n").append(method).append("\n\n");
        renderTable(md);
        renderWorkloads(md);
        renderPeers(md);
        renderRuns(md);
        return md.toString();
    }

    private void renderTable(final StringBuilder md) {
        md.append("## Results\n\n");
        md.append("value = median over the measured runs; range = min - max over those runs. ");
        md.append("A peer cell reads \"ratio (peer's value, peer's figure)\": the ratio is how many times better mproc is ");
        md.append("than that peer figure (peer / ours for times, ours / peer for rates): above 1 mproc is better, below 1 ");
        md.append("the peer is. The peer's value is in this row's unit.\n\n");
        final List<WorkloadResult> ours = results.stream().filter(r -> r.workload().peerSource() == null).toList();
        final List<WorkloadResult> theirs = results.stream().filter(r -> r.workload().peerSource() != null).toList();
        renderRows(md, ours, true);
        if (!theirs.isEmpty()) {
            md.append("### Java peers measured in this run\n\n");
            md.append("The same workload code as mproc's rows of the same name, over the peer's transport, each in its own ");
            md.append("JVMs; their medians are what the peer columns above quote.\n\n");
            renderRows(md, theirs, false);
        }
    }

    private void renderRows(final StringBuilder md, final List<WorkloadResult> rows, final boolean withPeers) {
        final List<PeerRun> columns = withPeers ? peers : List.of();
        final List<String> header = new ArrayList<>(List.of(
            "workload", "figure", "value (median)", "range (min - max)", "unit", "runs", "target"));
        for (final PeerRun peer : columns) {
            header.add("vs " + peer.title());
        }
        row(md, header);
        final List<String> rule = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            rule.add(i >= 2 && i <= 3 ? "---:" : "---");
        }
        row(md, rule);
        for (final WorkloadResult result : rows) {
            final Workload workload = result.workload();
            if (result.failed()) {
                final List<String> cells = new ArrayList<>(List.of(workload.name(), "-", "failed: " + result.failure(),
                    "", "", "0", ""));
                for (int i = 0; i < columns.size(); i++) {
                    cells.add("");
                }
                row(md, cells);
                continue;
            }
            for (final Figure figure : workload.figures()) {
                final RunStats stats = result.stats(figure.name());
                final List<String> cells = new ArrayList<>();
                cells.add(workload.name());
                cells.add(figure.name());
                cells.add(stats == null ? "no value" : Numbers.format(stats.median()));
                cells.add(stats == null ? "" : Numbers.format(stats.min()) + " - " + Numbers.format(stats.max()));
                cells.add(figure.unit());
                cells.add(stats == null ? "0" : Integer.toString(stats.count()));
                cells.add(figure.target());
                for (final PeerRun peer : columns) {
                    cells.add(peerCell(figure, stats, peer));
                }
                row(md, cells);
            }
        }
        md.append('\n');
    }

    /** One peer's cell for one figure: the ratio, the peer's value and which of its figures it is. */
    private static String peerCell(final Figure figure, final RunStats stats, final PeerRun peer) {
        final Optional<PeerRef> ref = figure.peer(peer.source());
        if (ref.isEmpty()) {
            return "";
        }
        final String label = ref.get().label();
        if (!peer.available()) {
            return NOT_AVAILABLE + peer.reason() + " (" + label + ")";
        }
        final Optional<PeerValue> value = peer.figure(ref.get().key());
        if (value.isEmpty()) {
            return NOT_AVAILABLE + "no figure " + ref.get().key() + " in its output";
        }
        final double theirs;
        try {
            theirs = Units.convert(value.get().median(), value.get().unit(), figure.unit());
        } catch (final IllegalArgumentException e) {
            return NOT_AVAILABLE + e.getMessage();
        }
        final OptionalDouble ratio = ratio(figure, stats, theirs);
        final String reps = value.get().values().size() > 1 ? ", median of " + value.get().values().size() : "";
        final String quoted = Numbers.format(theirs) + ", " + label + reps;
        return ratio.isPresent() ? Numbers.format(ratio.getAsDouble()) + "x (" + quoted + ")" : "(" + quoted + ")";
    }

    /**
     * @param figure our figure
     * @param stats  our runs of it (null if none)
     * @param theirs the peer's median in our figure's unit
     * @return how many times better ours is (above 1: mproc better); empty if it cannot be said
     */
    static OptionalDouble ratio(final Figure figure, final RunStats stats, final double theirs) {
        return stats == null ? OptionalDouble.empty() : Ratios.ratio(figure.better(), stats.median(), theirs);
    }

    private void renderWorkloads(final StringBuilder md) {
        md.append("## Workloads\n\n");
        for (final WorkloadResult result : results) {
            final Workload workload = result.workload();
            md.append("### ").append(workload.name()).append("\n\n");
            md.append(workload.title()).append("\n\n");
            md.append("- each run: ").append(result.iterations()).append(' ').append(workload.iterationUnit())
                .append("; ").append(result.runs()).append(" measured runs\n");
            md.append("- placement: ").append(result.placement()).append('\n');
            if (!workload.jvmOptions().isEmpty()) {
                md.append("- the sides' extra JVM options: `").append(String.join(" ", workload.jvmOptions())).append("`\n");
            }
            md.append("- took: ").append(result.took().toMillis()).append(" ms (including JVM start-up)\n");
            if (result.failed()) {
                md.append("- **failed**: ").append(result.failure()).append('\n');
            }
            for (final String note : result.notes()) {
                md.append("- ").append(note).append('\n');
            }
            md.append('\n');
        }
    }

    private void renderPeers(final StringBuilder md) {
        md.append("## Peers\n\n");
        for (final PeerRun peer : peers) {
            md.append("- **").append(peer.title()).append("**: `").append(peer.command()).append("`; ")
                .append(peer.available() ? "ran" : NOT_AVAILABLE + peer.reason())
                .append("; took ").append(peer.took().toMillis()).append(" ms\n");
        }
        md.append('\n');
        char appendix = 'A';
        for (final PeerRun peer : peers) {
            if (JavaPeers.isJavaPeer(peer.source())) {
                // Their figures are rows of this report, with every run in the last appendix.
                continue;
            }
            md.append("## Appendix ").append(appendix++).append(": raw output of ").append(peer.title()).append("\n\n");
            md.append("`").append(peer.command()).append("`\n\n");
            md.append("```text\n").append(peer.output().isEmpty() ? "(no output)\n" : peer.output());
            if (!peer.output().isEmpty() && !peer.output().endsWith("\n")) {
                md.append('\n');
            }
            md.append("```\n\n");
            if (!peer.figures().isEmpty()) {
                md.append("<details><summary>keys parsed from this output (for a workload's PeerRef)</summary>\n\n");
                md.append("```text\n");
                final List<String> keys = new ArrayList<>(peer.figures().keySet());
                keys.sort(null);
                for (final String key : keys) {
                    final PeerValue v = peer.figures().get(key);
                    md.append(key).append(" = ").append(Numbers.format(v.median())).append(' ').append(v.unit()).append('\n');
                }
                md.append("```\n\n</details>\n\n");
            }
        }
    }

    private void renderRuns(final StringBuilder md) {
        md.append("## Appendix: every measured run\n\n");
        for (final WorkloadResult result : results) {
            if (result.failed()) {
                continue;
            }
            md.append("### ").append(result.workload().name()).append("\n\n");
            final List<String> header = new ArrayList<>(List.of("figure", "unit"));
            for (int run = 1; run <= result.runs(); run++) {
                header.add("run " + run);
            }
            row(md, header);
            row(md, header.stream().map(h -> "---").toList());
            for (final Figure figure : result.workload().figures()) {
                final List<String> cells = new ArrayList<>(List.of(figure.name(), figure.unit()));
                for (final double v : result.values(figure.name())) {
                    cells.add(Double.isNaN(v) ? "" : Numbers.format(v));
                }
                row(md, cells);
            }
            md.append('\n');
        }
    }

    private static void row(final StringBuilder md, final List<String> cells) {
        md.append('|');
        for (final String cell : cells) {
            md.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        md.append('\n');
    }
}
