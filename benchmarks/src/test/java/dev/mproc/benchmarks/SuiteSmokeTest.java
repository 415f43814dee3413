package dev.mproc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The suite's smoke mode, as CI runs it through {@code mvn verify}: every workload runs in real child
 * JVMs with tiny counts and the report is written (under {@code target/}, never over
 * {@code results/latest.md}). Peers are stand-ins, so that a missing or failing peer is shown to
 * produce "not available: ..." instead of a failure. Nothing here asserts on speed.
 */
class SuiteSmokeTest {
    private static final Path OUT = Path.of("target", "bench-smoke").toAbsolutePath();

    @TempDir
    Path temp;

    /** One row of the results table, split into cells. */
    private record Row(List<String> cells) {
        String workload() {
            return cells.get(0);
        }

        String figure() {
            return cells.get(1);
        }

        String value() {
            return cells.get(2);
        }

        /** The cell of a peer (in column order) after "target": "ratio (value, label)" or "not available: ...". */
        String peerCell(final int peer) {
            return cells.get(7 + peer);
        }

        /** The peer's value as the cell quotes it, or its "not available: why" without the label. */
        String peerValue(final int peer) {
            final String cell = peerCell(peer);
            final int open = cell.lastIndexOf(" (");
            if (cell.startsWith(Report.NOT_AVAILABLE)) {
                return open < 0 ? cell : cell.substring(0, open);
            }
            final int paren = cell.indexOf('(');
            return paren < 0 ? cell : cell.substring(paren + 1, cell.indexOf(',', paren));
        }

        /** The ratio the cell states ("2x"), or "" when it states none. */
        String peerRatio(final int peer) {
            final String cell = peerCell(peer);
            return cell.startsWith(Report.NOT_AVAILABLE) || !cell.contains("x (") ? "" : cell.substring(0, cell.indexOf(" ("));
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldRunEveryWorkloadAndMarkAMissingPeerNotAvailable() throws IOException {
        final Path limits = script("limits.sh", "cat '" + Samples.path(Samples.LIMITS) + "'\n");
        final Path missingBaseline = temp.resolve("no-such-dir").resolve("python_mp_baseline.py");
        final Path report = OUT.resolve("smoke.md");
        Files.deleteIfExists(report);
        final Properties properties = new Properties();
        properties.setProperty("bench.limits", limits.toString());
        properties.setProperty("bench.python", missingBaseline.toString());
        properties.setProperty("bench.report", report.toString());

        final int status = new Suite(SuiteOptions.from(new String[] {"--smoke"}, properties)).run();

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(0, status, "a workload failed:\n" + md);
        final List<Row> rows = rows(md);
        for (final Workload workload : Workloads.all()) {
            for (final Figure figure : workload.figures()) {
                final Row row = find(rows, workload.name(), figure.name(), md);
                if (figure.better() != Better.NEITHER) {
                    assertTrue(isPositive(row.value()), workload.name() + " / " + figure.name()
                        + " should be positive: " + row);
                }
            }
        }
        final Row spin = find(rows, "pingpong-spin", "rtt p50", md);
        if (Executables.find("gcc").isPresent()) {
            // The stand-in printed the real C output captured on this machine: p50 295.385 ns.
            assertEquals("295", spin.peerValue(0), spin.toString());
            assertTrue(spin.peerRatio(0).endsWith("x"), spin.toString());
        } else {
            assertEquals("not available: gcc not found on PATH", spin.peerValue(0), spin.toString());
        }
        assertEquals("not available: no such file: " + missingBaseline, spin.peerValue(1), spin.toString());
        assertEquals("", spin.peerRatio(1));
        assertSyncRows(rows, md, missingBaseline);
        assertIpcRows(rows, md, missingBaseline);
        assertTrue(md.contains("## Appendix A: raw output of C limits"), md);
        assertJavaPeerColumns(rows, md);
        // The charts beside the report (no ratio-to-CPython chart: the baseline was missing).
        for (final String chart : List.of(Charts.THROUGHPUT_VS_MESSAGE_SIZE, Charts.LATENCY_UNDER_LOAD, Charts.SCALING)) {
            final Path png = report.resolveSibling(chart);
            assertTrue(Files.size(png) > 1000, chart + " should be drawn: " + png);
        }
        assertFalse(Files.exists(report.resolveSibling(Charts.RATIO_TO_CPYTHON)), "no CPython figures, no ratio chart");
        assertNoNamespaceLeft();
    }

    /**
     * Every Java peer ran its twin workloads in this suite, and its medians reached mproc's rows as
     * ratios: the UDS socket, Agrona and Chronicle beside the 64-byte pipe and the ping-pong, Agrona's
     * many-to-one ring beside the four-producer queue.
     */
    private static void assertJavaPeerColumns(final List<Row> rows, final String md) {
        final int uds = 2;
        final int agrona = 3;
        final int chronicle = 4;
        final Row pipe = find(rows, "pipe-bytes-64b", "throughput", md);
        final Row pingPong = find(rows, "pipe-pingpong-default", "rtt p50", md);
        final Row sweep = find(rows, "size-sweep-pipe", "1 MiB throughput", md);
        for (final int peer : new int[] {uds, agrona, chronicle}) {
            for (final Row row : List.of(pipe, pingPong, sweep)) {
                assertTrue(row.peerRatio(peer).endsWith("x"), "peer column " + peer + " of " + row);
            }
        }
        final Row fourProducers = find(rows, "queue-4p1c", "throughput", md);
        assertTrue(fourProducers.peerRatio(agrona).endsWith("x"), fourProducers.toString());
        assertTrue(find(rows, "latency-under-load-pipe", "100 K/s p99", md).peerRatio(agrona).endsWith("x"), md);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldMarkAFailingPeerNotAvailableWithoutFailingTheSuite() throws IOException {
        final Path missingLimits = temp.resolve("run.sh");
        final Path failingBaseline = script("baseline.sh", "echo 'name 1 ns'\necho boom >&2\nexit 3\n");
        final Path report = OUT.resolve("failing-peers.md");
        final Properties properties = new Properties();
        properties.setProperty("bench.limits", missingLimits.toString());
        properties.setProperty("bench.pythonExe", "bash");
        properties.setProperty("bench.python", failingBaseline.toString());
        properties.setProperty("bench.report", report.toString());
        properties.setProperty("bench.only", "cas-uncontended");

        final int status = new Suite(SuiteOptions.from(new String[] {"--smoke"}, properties)).run();

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(0, status, md);
        final List<Row> rows = rows(md);
        assertTrue(rows.stream().allMatch(r -> r.workload().equals("cas-uncontended")), md);
        final Row lock = find(rows, "cas-uncontended", "CAS lock + counter++ + release unlock", md);
        assertTrue(isPositive(lock.value()), lock.toString());
        assertEquals("not available: no such file: " + missingLimits, lock.peerValue(0));
        assertEquals("not available: exit status 3 (boom)", lock.peerValue(1));
        assertTrue(md.contains("name 1 ns\nboom\n"), "the failing peer's output goes to the appendix:\n" + md);
        assertNoNamespaceLeft();
    }

    /**
     * The sync workloads (their values are checked with every other figure's): each hand-off side
     * sits beside the C process on its CPU, the sleeping
     * variant measured waiters that were asleep (its claim; a handle that ignored its wait strategy
     * would spin through the 20 us linger and show about 0 %), and lock-contended, which only
     * reports a rate once the counter added up, shows CPython beside it and no C figure.
     */
    private static void assertSyncRows(final List<Row> rows, final String md, final Path missingBaseline) {
        for (final String figure : List.of("B asleep when A unlocked", "A asleep when B unlocked")) {
            final Row asleep = find(rows, "lock-handoff-sleep", figure, md);
            assertTrue(Double.parseDouble(asleep.value()) > 50, asleep.toString());
        }
        final Row toA = find(rows, "lock-handoff-spin", "handoff to A p50", md);
        final Row toB = find(rows, "lock-handoff-sleep", "handoff to B p50", md);
        if (Executables.find("gcc").isPresent()) {
            // The stand-in's C output: handoff spin proc0 p50 198.846 ns, futex proc1 p50 22476.154 ns.
            assertEquals("199", toA.peerValue(0), toA.toString());
            assertEquals("22.5", toB.peerValue(0), toB.toString());
            assertTrue(toB.peerRatio(0).endsWith("x"), toB.toString());
            final Row event = find(rows, "event-pingpong", "rtt p50", md);
            assertEquals("0.428", event.peerValue(0), "C spin-then-futex p50 0.428 us: " + event);
        }
        final Row lock = find(rows, "lock-uncontended", "Lock lock + counter++ + unlock", md);
        assertEquals("not available: no such file: " + missingBaseline, lock.peerValue(1), lock.toString());
        final Row contended = find(rows, "lock-contended", "total throughput", md);
        assertEquals("", contended.peerValue(0), "no C figure for a contended lock: " + contended);
        assertEquals("not available: no such file: " + missingBaseline, contended.peerValue(1), contended.toString());
    }

    /**
     * The ipc workloads: each throughput sits beside the C figure of the same kind from the
     * stand-in (82.5 M msg/s ring, 12.31 GB/s memcpy) and CPython's missing one, and the queue with
     * four producers ran five JVMs, the consumer alone on CPU 0 when pinned.
     */
    private static void assertIpcRows(final List<Row> rows, final String md, final Path missingBaseline) {
        final Row ring = find(rows, "pipe-bytes-64b", "throughput", md);
        final Row copy = find(rows, "pipe-bytes-1mib", "throughput", md);
        if (Executables.find("gcc").isPresent()) {
            assertEquals("82.5", ring.peerValue(0), ring.toString());
            assertTrue(ring.peerRatio(0).endsWith("x"), ring.toString());
            assertEquals("12.3", copy.peerValue(0), copy.toString());
        }
        assertEquals("not available: no such file: " + missingBaseline, ring.peerValue(1), ring.toString());
        final Row queue = find(rows, "queue-4p1c", "throughput", md);
        assertEquals("", queue.peerValue(0), "the C limits print no MPSC figure: " + queue);
        final String section = md.substring(md.indexOf("### queue-4p1c"));
        final String placement = section.lines().filter(l -> l.startsWith("- placement: ")).findFirst().orElseThrow();
        assertTrue(placement.startsWith("- placement: not pinned")
            || placement.contains("side A on CPU 0, side B on CPU") && placement.contains("side E on CPU")
                && placement.indexOf("on CPU 0") == placement.lastIndexOf("on CPU 0"),
            "five JVMs, only the consumer on CPU 0: " + placement);
    }

    private static boolean isPositive(final String cell) {
        try {
            return Double.parseDouble(cell) > 0;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private Path script(final String name, final String body) throws IOException {
        final Path file = temp.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static List<Row> rows(final String md) {
        final List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (final String line : md.split("\n")) {
            if (line.startsWith("| workload | figure |")) {
                inTable = true;
                continue;
            }
            if (inTable && line.startsWith("| ---")) {
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                // Another table (the Java peers' rows) may follow.
                inTable = false;
                continue;
            }
            if (inTable) {
                final String inner = line.substring(1, line.length() - 1);
                rows.add(new Row(Stream.of(inner.split(" \\| ", -1)).map(String::strip).toList()));
            }
        }
        assertFalse(rows.isEmpty(), "no results table in\n" + md);
        return rows;
    }

    private static Row find(final List<Row> rows, final String workload, final String figure, final String md) {
        return rows.stream()
            .filter(r -> r.workload().equals(workload) && r.figure().equals(figure))
            .findFirst()
            .orElseGet(() -> fail("no row for " + workload + " / " + figure + " in\n" + md));
    }

    /** The harness's private namespaces (named after this JVM's pid) must all be gone. */
    private static void assertNoNamespaceLeft() throws IOException {
        final String configured = System.getProperty("mproc.dir");
        final Path base = configured != null && !configured.isBlank() ? Path.of(configured)
            : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        final Path userRoot = base.resolve("mproc-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
        if (!Files.isDirectory(userRoot)) {
            return;
        }
        final String mine = "p-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(userRoot)) {
            final List<String> left = entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)).toList();
            assertEquals(List.of(), left, "namespaces left in " + userRoot);
        }
    }
}
