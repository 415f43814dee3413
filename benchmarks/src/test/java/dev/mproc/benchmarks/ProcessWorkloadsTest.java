package dev.mproc.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The process and pool workloads' figures: each sits beside the CPython figure of the same thing
 * (spawn, the start method that also starts a fresh interpreter), in units the sample's values
 * convert to, and with the targets of PERFORMANCE.md. Running them is the smoke test's job.
 */
class ProcessWorkloadsTest {
    private final Map<String, PeerValue> python = PythonOutput.parse(Samples.text(Samples.PYTHON));

    @Test
    void shouldSetEachFigureBesideCPythonsSpawnForkserverOrPoolFigure() {
        assertEquals(Set.of("process_start_join_spawn_median", "process_start_join_spawn_min",
                "process_start_join_forkserver_median"),
            keys("process-start", PeerRef.CPYTHON));
        assertEquals(Set.of("pool2_startup_shutdown_spawn_median", "pool2_startup_first_task_shutdown_spawn_median"),
            keys("pool-startup", PeerRef.CPYTHON));
        assertEquals(Set.of("pool2_map_default_chunksize_throughput", "pool2_map_chunksize1_throughput"),
            keys("pool-map", PeerRef.CPYTHON));
        for (final String name : List.of("process-start", "pool-startup", "pool-map", "pool-worker-rss")) {
            assertEquals(Set.of(), keys(name, PeerRef.C_LIMITS), name + ": the C limits measure no process start");
            assertEquals(1, Workloads.byName(name).sides(), name + " runs in one side JVM, which starts the others");
        }
        assertEquals(Set.of(), keys("pool-worker-rss", PeerRef.CPYTHON), "CPython prints no memory figure");
    }

    @Test
    void shouldConvertTheSamplesCPythonFiguresToTheWorkloadsUnits() {
        // The sample (scale 0.01): spawn start+join 52.8382 ms median; Pool(2) start+close+join 175.897 ms.
        assertEquals(52.8382, peerIn("process-start", "start + join median"), 1e-9);
        assertEquals(175.897, peerIn("pool-startup", "start + shutdown + join median"), 1e-9);
        // 4773864 tasks/s with default chunking is 4.77 M tasks/s, or 209 ns per task.
        assertEquals(4.773864, peerIn("pool-map", "map throughput, default chunking"), 1e-9);
        assertEquals(209.47, peerIn("pool-map", "time per task, default chunking"), 0.01);
        // 41211 tasks/s with chunk size 1: 0.0412 M tasks/s, 24.27 us per task.
        assertEquals(0.041211, peerIn("pool-map", "map throughput, chunk size 1"), 1e-9);
        assertEquals(24.265, peerIn("pool-map", "time per task, chunk size 1"), 0.001);
    }

    @Test
    void shouldCarryTheTargetsOfThePerformanceContract() {
        // The cold targets are stated against the default a packaged application gets: with the start-up cache.
        assertEquals("<= 60 ms (cold, spawn parity)",
            figure("process-start", "start + join with the start-up cache, median").target());
        assertEquals("<= 100 ms (cold)",
            figure("pool-startup", "start + shutdown + join with the start-up cache, median").target());
        assertEquals("", figure("process-start", "start + join median").target());
        assertEquals("<= 5 ms (from a warm spare JVM)", figure("process-start", "start + join from a warm spare, median").target());
        assertEquals(">= 10 M tasks/s", figure("pool-map", "map throughput, default chunking").target());
        assertEquals(">= 1 M tasks/s", figure("pool-map", "map throughput, chunk size 1").target());
        assertEquals("<= 60 MB", figure("pool-worker-rss", "idle worker VmRSS with the start-up cache, larger of 2").target());
    }

    private double peerIn(final String workload, final String name) {
        final Figure figure = figure(workload, name);
        final PeerValue value = python.get(figure.peer(PeerRef.CPYTHON).orElseThrow().key());
        return Units.convert(value.median(), value.unit(), figure.unit());
    }

    private static Set<String> keys(final String workload, final String source) {
        final Set<String> keys = new TreeSet<>();
        for (final Figure figure : Workloads.byName(workload).figures()) {
            figure.peer(source).ifPresent(ref -> keys.add(ref.key()));
        }
        return keys;
    }

    private static Figure figure(final String workload, final String name) {
        return Workloads.byName(workload).figures().stream().filter(f -> f.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError(workload + " has no figure " + name));
    }
}
