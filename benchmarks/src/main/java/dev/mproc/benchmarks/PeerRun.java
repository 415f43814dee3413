package dev.mproc.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one peer program produced in this session: its figures, or why there are none.
 *
 * @param source  the peer's id ({@link PeerRef#C_LIMITS}, {@link PeerRef#CPYTHON})
 * @param title   its name in the report
 * @param command the command line, as text
 * @param reason  why it is not available, or null when it ran and printed figures
 * @param output  everything it printed (stdout and stderr), for the report's appendix
 * @param took    how long it ran
 * @param figures its figures by key (empty when not available)
 */
public record PeerRun(
    String source,
    String title,
    String command,
    String reason,
    String output,
    Duration took,
    Map<String, PeerValue> figures) {

    /**
     * Checks and copies.
     *
     * @param source  the peer's id
     * @param title   its name
     * @param command its command line
     * @param reason  why not available, or null
     * @param output  what it printed
     * @param took    how long it ran
     * @param figures its figures
     */
    public PeerRun {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(took, "took");
        figures = Map.copyOf(figures);
    }

    /**
     * @param source  the peer's id
     * @param title   its name
     * @param command its command line
     * @param reason  why it did not run or produced nothing
     * @param output  what it printed, if anything
     * @param took    how long it ran
     * @return a peer run with no figures
     */
    public static PeerRun unavailable(
        final String source, final String title, final String command, final String reason, final String output,
        final Duration took) {
        return new PeerRun(source, title, command, Objects.requireNonNull(reason, "reason"), output, took, Map.of());
    }

    /**
     * @return true when its figures can be used
     */
    public boolean available() {
        return reason == null;
    }

    /**
     * @param key a figure key
     * @return that figure, if the peer ran and printed it
     */
    public Optional<PeerValue> figure(final String key) {
        return Optional.ofNullable(figures.get(key));
    }
}
