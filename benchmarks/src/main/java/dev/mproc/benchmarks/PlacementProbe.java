package dev.mproc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A one-second look at where the host has put this VM's two vCPUs: the C limits' spin ping-pong
 * (two processes pinned to CPUs 0 and 1), run briefly before each workload.
 * <p>
 * Why: a cloud host may move vCPUs while the suite runs. On one VM here the C round trip was
 * 70-90 ns when the vCPUs shared a core and mproc's the same order; minutes later, in the same
 * suite, mproc's spinning round trip read 481 ns and a 1 MiB pipe 2 GB/s instead of 8: the
 * workloads had run while the vCPUs sat further apart, so their ratios to the C figures measured
 * at the start compared two different machines. The probe's figure next to each workload says
 * which machine that workload ran on.
 */
final class PlacementProbe implements AutoCloseable {
    private static final long ROUND_TRIPS = 20_000;
    private static final long TIMEOUT_SECONDS = 20;
    private static final Pattern P50 = Pattern.compile("p50=([0-9.]+)");

    private final Path directory;
    private final Path binary;
    private final List<String> readings = new ArrayList<>();

    private PlacementProbe(final Path directory, final Path binary) {
        this.directory = directory;
        this.binary = binary;
    }

    /**
     * Compiles the limits' {@code pingpong_spin.c}.
     *
     * @param limitsScript the limits' {@code run.sh}, beside which the C sources are
     * @return the probe, or {@code null} if there is no source or no gcc (the report then says nothing of it)
     */
    static PlacementProbe compile(final Path limitsScript) {
        final Path source = limitsScript.resolveSibling("pingpong_spin.c");
        if (!Files.isRegularFile(source) || Executables.find("gcc").isEmpty()) {
            return null;
        }
        try {
            final Path directory = Files.createTempDirectory("mproc-bench-probe-");
            final Path binary = directory.resolve("pingpong_spin");
            final Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString(), "-lpthread")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gcc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                gcc.destroyForcibly();
                return new PlacementProbe(directory, null);
            }
            return new PlacementProbe(directory, binary);
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Runs the probe and keeps its reading under {@code label}.
     *
     * @return the reading, e.g. "82 ns", or a reason it has none
     */
    String measure(final String label) {
        String reading;
        if (binary == null) {
            reading = "n/a (pingpong_spin.c did not compile)";
        } else {
            try {
                final Process probe = new ProcessBuilder(binary.toString(), Long.toString(ROUND_TRIPS), "0", "1")
                    .redirectErrorStream(true).start();
                final String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!probe.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    probe.destroyForcibly();
                }
                final Matcher p50 = P50.matcher(output);
                reading = p50.find() ? String.format(Locale.ROOT, "%.0f ns", Double.parseDouble(p50.group(1)))
                    : "n/a (no p50 in its output)";
            } catch (final IOException e) {
                reading = "n/a (" + e.getMessage() + ")";
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                reading = "n/a (interrupted)";
            }
        }
        readings.add(label + " " + reading);
        return reading;
    }

    /** @return every reading so far, in order, for the report's header */
    String describe() {
        return "C spin ping-pong round trip p50 (CPUs 0 and 1, " + ROUND_TRIPS + " round trips) before each "
            + "workload: " + String.join(", ", readings) + ". Tens of ns: the two vCPUs share a core; "
            + "hundreds: they are further apart. A workload's ratios to the C limits (measured once, at the "
            + "start) hold only where its reading matches theirs.";
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (final IOException e) {
            // A probe binary left in the temp directory is harmless.
        }
    }
}
