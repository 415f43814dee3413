package dev.mproc.benchmarks.transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.Suite;
import dev.mproc.benchmarks.SuiteOptions;
import dev.mproc.benchmarks.Workload;
import dev.mproc.benchmarks.Workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java peers' workloads through the real suite in smoke mode: each side a JVM of its own with
 * the transport's options (Agrona's {@code --add-exports}, which this JVM has not got), so every
 * message really crosses between processes and is checked on arrival by the workload. Nothing here
 * asserts on speed.
 */
class JavaPeerWorkloadsTest {
    private static final List<String> PEER_WORKLOADS = List.of(
        "size-sweep-uds", "latency-under-load-uds", "burst-uds",
        "size-sweep-agrona", "latency-under-load-agrona", "burst-agrona",
        "producers-agrona-m2o");
    private static final int SMOKE_RUNS = 2;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldRecordEveryFigureOfEveryRunOfEveryJavaPeerWorkload() throws Exception {
        final Path report = Path.of("target", "bench-peers", "java-peers-smoke.md").toAbsolutePath();
        Files.deleteIfExists(report);
        final Properties properties = new Properties();
        properties.setProperty("bench.only", String.join(",", PEER_WORKLOADS));
        properties.setProperty("bench.limits", SuiteOptions.SKIP);
        properties.setProperty("bench.python", SuiteOptions.SKIP);
        properties.setProperty("bench.report", report.toString());
        properties.setProperty("bench.runs", Integer.toString(SMOKE_RUNS));
        properties.setProperty("bench.timeoutSeconds", "60");

        final int status = new Suite(SuiteOptions.from(new String[] {"--smoke"}, properties)).run();

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(0, status, "a Java peer's workload failed:\n" + md);
        final Map<String, List<String>> rows = resultRows(md);
        for (final String name : PEER_WORKLOADS) {
            final Workload workload = Workloads.byName(name);
            assertNotNull(workload.peerSource(), name + " is a Java peer's workload");
            for (final Figure figure : workload.figures()) {
                final List<String> row = rows.get(name + " / " + figure.name());
                assertNotNull(row, "no row for " + name + " / " + figure.name() + " in\n" + md);
                // Cells: workload, figure, value (median), range, unit, runs, ...
                assertEquals(Integer.toString(SMOKE_RUNS), row.get(5), "runs with a value: " + row);
                assertTrue(Double.parseDouble(row.get(2)) > 0, "value should be positive: " + row);
            }
        }
    }

    /** The results table's rows by "workload / figure", each split into its cells. */
    private static Map<String, List<String>> resultRows(final String md) {
        final Map<String, List<String>> rows = new HashMap<>();
        boolean inTable = false;
        for (final String line : md.split("\n")) {
            if (line.startsWith("| workload | figure |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|") && !line.startsWith("| ---")) {
                final List<String> cells = List.of(line.substring(1, line.length() - 1).split(" \\| ", -1)).stream()
                    .map(String::strip).toList();
                rows.put(cells.get(0) + " / " + cells.get(1), cells);
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }
}
