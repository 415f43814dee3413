package dev.mproc.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    /** A workload that only exists to be reported on. */
    private static final Workload FAKE = ReportOnlyWorkload.of("fake",
        Figure.of("latency", "ns", Better.LOWER, "<= 1 us",
            PeerRef.cLimit("c.latency", "C latency"), PeerRef.cpython("py_latency", "Py latency")),
        Figure.of("rate", "M ops/s", Better.HIGHER, "", PeerRef.cLimit("c.time_per_op", "C op")),
        Figure.of("missing", "ns", Better.LOWER, "", PeerRef.cLimit("c.absent", "C absent")),
        Figure.info("share asleep", "%"));

    private static String render(final WorkloadResult result) {
        final PeerRun c = new PeerRun(PeerRef.C_LIMITS, "C limits", "run.sh quick", null, "limit c: latency: 200 ns\n",
            Duration.ofSeconds(1), Map.of(
                "c.latency", new PeerValue(List.of(0.2, 0.3, 0.1), "us"),
                "c.time_per_op", new PeerValue(List.of(8.0), "ns/op")));
        final PeerRun py = PeerRun.unavailable(PeerRef.CPYTHON, "CPython", "python3 x.py 1",
            "python3 not found on PATH", "", Duration.ZERO);
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", "today");
        return new Report("title", facts, "method", List.of(result), List.of(c, py)).render();
    }

    private static List<String> cells(final String markdown, final String figure) {
        for (final String line : markdown.split("\n")) {
            if (line.startsWith("| fake | " + figure + " |")) {
                final String[] parts = line.substring(1, line.length() - 1).split(" \\| ", -1);
                return List.of(parts).stream().map(String::strip).toList();
            }
        }
        throw new AssertionError("no row for " + figure + " in\n" + markdown);
    }

    @Test
    void shouldStateRatiosSoThatAboveOneMeansOursIsBetter() {
        final Map<String, double[]> values = new LinkedHashMap<>();
        values.put("latency", new double[] {100, 50, 400});
        values.put("rate", new double[] {250, 250, 250});
        values.put("share asleep", new double[] {1, 2, 3});
        final String md = render(new WorkloadResult(FAKE, 3, 10, values, List.of("side A: a note"), null,
            "side A on CPU 0", Duration.ofMillis(5)));

        // latency: ours median 100 ns, C median 0.2 us = 200 ns: ours is 2x better.
        assertEquals(List.of("fake", "latency", "100", "50 - 400", "ns", "3", "<= 1 us", "2x (200, C latency, median of 3)",
            "not available: python3 not found on PATH (Py latency)"), cells(md, "latency"));
        // rate: ours 250 M ops/s, C 8 ns/op = 125 M ops/s: ours is 2x better.
        assertEquals("2x (125, C op)", cells(md, "rate").get(7));
        assertEquals("not available: no figure c.absent in its output", cells(md, "missing").get(7));
        assertEquals("no value", cells(md, "missing").get(2));
        assertTrue(md.contains("| fake | share asleep | 2 | 1 - 3 | % | 3 |  |  |  |"), md);
        assertTrue(md.contains("- side A: a note"), md);
        assertTrue(md.contains("```text\nlimit c: latency: 200 ns\n```"), md);
    }

    @Test
    void shouldShowAFailedWorkloadInsteadOfItsFigures() {
        final String md = render(WorkloadResult.failed(FAKE, 3, 10, "side A exited with status 1: boom | bang",
            "side A on CPU 0", Duration.ofMillis(5)));
        assertTrue(md.contains("| fake | - | failed: side A exited with status 1: boom \\| bang |"), md);
    }

    @Test
    void shouldSetAJavaPeersMedianBesideOursAndListItsRowsApart() {
        final Workload ours = ReportOnlyWorkload.of("size-sweep-pipe", Figure.of("64 B rate", "M msg/s", Better.HIGHER, "",
            JavaPeers.sameFigure(false, "size-sweep-", "64 B rate", "uds", "agrona")));
        final WorkloadResult mine = new WorkloadResult(ours, 3, 10, Map.of("64 B rate", new double[] {12, 10, 11}),
            List.of(), null, "A on 0, B on 1", Duration.ofMillis(5));
        final WorkloadResult peer = new WorkloadResult(new ReportOnlyWorkload("size-sweep-uds", PeerRef.UDS, List.of(Figure.of("64 B rate", "M msg/s", Better.HIGHER, ""))), 3, 10,
            Map.of("64 B rate", new double[] {2, 1, Double.NaN}), List.of(), null, "A on 0, B on 1", Duration.ofMillis(5));
        final List<WorkloadResult> results = List.of(mine, peer);
        final List<PeerRun> peers = JavaPeers.ALL.stream().map(p -> JavaPeers.runOf(p, results)).toList();

        final PeerRun uds = peers.get(0);
        assertTrue(uds.available(), uds.toString());
        assertEquals(List.of(2.0, 1.0), uds.figure("size-sweep-uds/64 B rate").orElseThrow().values());
        assertEquals("none of its workloads was selected (-Dbench.only)", peers.get(1).reason());

        final String md = new Report("title", Map.of(), "method", results, peers).render();
        // Ours: median 11 against the UDS median 1.5: 7.33x; Agrona did not run.
        assertTrue(md.contains("| size-sweep-pipe | 64 B rate | 11 | 10 - 12 | M msg/s | 3 |  | 7.33x (1.5, UDS SocketChannel, "
            + "median of 2) | not available: none of its workloads was selected (-Dbench.only) (Agrona OneToOneRingBuffer) |  |"),
            md);
        final int apart = md.indexOf("### Java peers measured in this run");
        assertTrue(apart > 0 && md.indexOf("| size-sweep-uds | 64 B rate | 1.5 | 1 - 2 | M msg/s | 2 |  |\n") > apart, md);
        assertTrue(!md.contains("raw output of UDS"), md);
    }
}
