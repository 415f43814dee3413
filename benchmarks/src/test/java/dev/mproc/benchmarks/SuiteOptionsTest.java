package dev.mproc.benchmarks;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteOptionsTest {
    private static Properties props(final String... keyValues) {
        final Properties p = new Properties();
        p.setProperty("bench.root", "/repo");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void shouldWriteTheFullSuiteToResultsLatestAndFindPeersBesideTheProject() {
        final SuiteOptions o = SuiteOptions.from(new String[0], props());
        assertEquals(Path.of("/repo/benchmarks/results/latest.md"), o.report());
        assertEquals("/shared/limits/run.sh", o.limits());
        assertEquals("/shared/baselines/python_mp_baseline.py", o.python());
        assertEquals(7, o.runs());
        assertEquals(2, o.warmups());
        assertEquals(1.0, o.pythonScale());
    }

    @Test
    void shouldKeepSmokeAndSingleWorkloadReportsOutOfResults() {
        final SuiteOptions smoke = SuiteOptions.from(new String[] {"--smoke"}, props());
        assertEquals(Path.of("/repo/benchmarks/target/bench/smoke.md"), smoke.report());
        assertEquals(SuiteOptions.SKIP, smoke.limits());
        assertEquals(0.01, smoke.pythonScale());
        assertEquals(2, smoke.runs());
        final SuiteOptions one = SuiteOptions.from(new String[0], props("bench.only", "pingpong-spin"));
        assertEquals(Path.of("/repo/benchmarks/target/bench/pingpong-spin.md"), one.report());
    }

    @Test
    void shouldTreatEmptyPropertiesAsUnset() {
        final SuiteOptions o = SuiteOptions.from(new String[0], props("bench.runs", "", "bench.smoke", "",
            "bench.limits", " ", "bench.only", ""));
        assertEquals(7, o.runs());
        assertTrue(o.only().isEmpty());
        assertEquals("/shared/limits/run.sh", o.limits());
    }

    @Test
    void shouldRejectUnknownArgumentsAndTooFewRuns() {
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.from(new String[] {"--fast"}, props()));
        assertThrows(IllegalArgumentException.class, () -> SuiteOptions.from(new String[0], props("bench.runs", "0")));
    }
}
