package dev.mproc.benchmarks.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mproc.benchmarks.Figure;
import dev.mproc.benchmarks.Suite;
import dev.mproc.benchmarks.SuiteOptions;
import dev.mproc.benchmarks.Workload;
import dev.mproc.benchmarks.Workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chronicle Queue's three workloads in smoke mode through the real harness: each side a child JVM
 * with Chronicle's options, as in a benchmark run (this JVM lacks them). Each must succeed and
 * report a value for every figure from every run; the queues must go with the harness's namespace
 * and Chronicle must leave nothing behind anywhere else.
 */
class ChronicleWorkloadsTest {
    private static final List<String> NAMES = List.of("size-sweep-chronicle", "latency-under-load-chronicle",
        "burst-chronicle");
    private static final int RUNS = 2;
    private static final Path REPORT = Path.of("target", "bench-smoke", "chronicle.md").toAbsolutePath();
    private static final Path SHM = Path.of("/dev/shm");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunEveryChronicleWorkloadWithAValueForEveryFigureOfEveryRunAndLeaveNothingBehind() throws IOException {
        final Path home = Path.of(System.getProperty("user.home"));
        final Path cwd = Path.of(System.getProperty("user.dir"));
        final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        final Set<String> homeBefore = names(home);
        final Set<String> cwdBefore = names(cwd);
        final Set<String> tmpBefore = names(tmp);
        Files.deleteIfExists(REPORT);
        final Properties properties = new Properties();
        properties.setProperty("bench.only", String.join(",", NAMES));
        properties.setProperty("bench.report", REPORT.toString());
        properties.setProperty("bench.python", SuiteOptions.SKIP);
        properties.setProperty("bench.runs", String.valueOf(RUNS));

        final int status = new Suite(SuiteOptions.from(new String[] {"--smoke"}, properties)).run();

        final String md = Files.readString(REPORT, StandardCharsets.UTF_8);
        assertEquals(0, status, "a Chronicle workload failed:\n" + md);
        for (final String name : NAMES) {
            final List<List<String>> rows = runRows(md, name);
            final Workload workload = Workloads.byName(name);
            assertEquals(workload.figures().size(), rows.size(), name + ": one row per figure in\n" + md);
            for (int i = 0; i < rows.size(); i++) {
                final List<String> row = rows.get(i);
                final Figure figure = workload.figures().get(i);
                assertEquals(figure.name(), row.get(0), name);
                assertEquals(2 + RUNS, row.size(), name + " / " + figure.name() + ": " + row);
                for (int run = 0; run < RUNS; run++) {
                    final String cell = row.get(2 + run);
                    assertTrue(!cell.isEmpty() && Double.parseDouble(cell) > 0,
                        name + " / " + figure.name() + " run " + (run + 1) + ": '" + cell + "'");
                }
            }
        }
        assertNoNamespaceLeft();
        assertEquals(homeBefore, names(home), "Chronicle wrote into the home directory");
        assertEquals(cwdBefore, names(cwd), "Chronicle wrote into the working directory");
        final Set<String> tmpAfter = names(tmp);
        tmpAfter.removeAll(tmpBefore);
        assertTrue(tmpAfter.stream().noneMatch(ChronicleWorkloadsTest::chronicleFile),
            "Chronicle files in " + tmp + ": " + tmpAfter);
        if (Files.isDirectory(SHM)) {
            assertTrue(names(SHM).stream().noneMatch(ChronicleWorkloadsTest::chronicleFile),
                "Chronicle files in /dev/shm: " + names(SHM));
        }
    }

    /** Rows of the workload's table in the report's appendix of every run: figure, unit, run 1, run 2, ... */
    private static List<List<String>> runRows(final String md, final String workload) {
        final String appendix = md.substring(md.indexOf("## Appendix: every measured run"));
        final int start = appendix.indexOf("### " + workload + "\n");
        assertTrue(start >= 0, "no runs of " + workload + " in\n" + md);
        final List<List<String>> rows = new ArrayList<>();
        final List<String> lines = appendix.substring(start).lines().skip(1).toList();
        for (final String line : lines) {
            if (line.startsWith("###")) {
                break;
            }
            if (!line.startsWith("| ") || line.startsWith("| figure |") || line.startsWith("| ---")) {
                continue;
            }
            final String inner = line.substring(2, line.length() - 2);
            rows.add(Stream.of(inner.split(" \\| ", -1)).map(String::strip).toList());
        }
        assertFalse(rows.isEmpty(), "no rows for " + workload + " in\n" + md);
        return rows;
    }

    private static boolean chronicleFile(final String name) {
        return name.startsWith("chronicle") || name.endsWith(".cq4") || name.endsWith(".cq4t");
    }

    private static Set<String> names(final Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** The harness's private namespaces, where the queues live, are named after this JVM's pid. */
    private static void assertNoNamespaceLeft() throws IOException {
        final String configured = System.getProperty("mproc.dir");
        final Path base = configured != null && !configured.isBlank() ? Path.of(configured)
            : Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
        final String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path userRoot = base.resolve("mproc-" + user);
        if (!Files.isDirectory(userRoot)) {
            return;
        }
        final String mine = "p-" + ProcessHandle.current().pid() + "-";
        assertEquals(List.of(), names(userRoot).stream().filter(n -> n.startsWith(mine)).toList(),
            "namespaces left in " + userRoot);
    }
}
