package dev.mproc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A machine without {@code gcc} or {@code python3}: the suite, run as its own JVM with a
 * {@code PATH} holding only {@code bash} and {@code taskset}, still measures mproc, exits 0, and
 * its C and CPython columns say which tool was missing, with the real {@code run.sh} and baseline
 * script configured.
 */
class MissingToolsTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldSayWhichToolIsMissingInsteadOfFailing() throws IOException, InterruptedException {
        final Path bin = Files.createDirectories(temp.resolve("bin"));
        for (final String tool : List.of("bash", "taskset")) {
            final Path found = Executables.find(tool).orElse(null);
            if (found != null) {
                Files.createSymbolicLink(bin.resolve(tool), found);
            }
        }
        final SuiteOptions defaults = SuiteOptions.from(new String[0], new java.util.Properties());
        final Path report = temp.resolve("report.md");
        final List<String> command = new ArrayList<>(List.of(WorkloadRunner.javaBinary(),
            "--enable-native-access=ALL-UNNAMED",
            "-Dbench.limits=" + defaults.limits(),
            "-Dbench.python=" + defaults.python(),
            "-Dbench.report=" + report,
            "-cp", System.getProperty("java.class.path"),
            Suite.class.getName(), "--smoke", "--only=cas-uncontended"));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(temp.resolve("suite.log").toFile());
        builder.environment().put("PATH", bin.toString());
        final Process suite = builder.start();
        assertTrue(suite.waitFor(100, TimeUnit.SECONDS), "the suite did not finish");
        final String log = Files.readString(temp.resolve("suite.log"), StandardCharsets.UTF_8);
        assertEquals(0, suite.exitValue(), log);

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        final String row = md.lines().filter(l -> l.startsWith("| cas-uncontended | CAS lock + counter++ + release unlock |"))
            .findFirst().orElseThrow(() -> new AssertionError("no CAS lock row in\n" + md));
        assertTrue(row.contains("| not available: gcc not found on PATH (C CAS lock+unlock) |"), row);
        assertTrue(row.contains("| not available: python3 not found on PATH (Lock acquire+release) |"), row);
        assertTrue(md.contains("- **C limits**: `bash " + defaults.limits()), md);
        assertFalse(md.contains("vCPU placement"), "a placement probe without gcc:\n" + md);
    }

    /**
     * The same selection on this machine's real tools: the C limits ({@code run.sh quick}) and the
     * CPython baseline (at its smoke scale) run for real and their figures reach the row as
     * ratios. A tool this machine lacks is the other test's case, so its half is skipped.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldRunTheRealCAndCPythonPeersInSmokeMode() throws IOException {
        final boolean gcc = Executables.find("gcc").isPresent();
        final boolean python = Executables.find("python3").isPresent();
        org.junit.jupiter.api.Assumptions.assumeTrue(gcc || python, "neither gcc nor python3 on this machine");
        final SuiteOptions defaults = SuiteOptions.from(new String[0], new java.util.Properties());
        final java.util.Properties properties = new java.util.Properties();
        properties.setProperty("bench.limits", gcc ? defaults.limits() : SuiteOptions.SKIP);
        properties.setProperty("bench.python", python ? defaults.python() : SuiteOptions.SKIP);
        final Path report = temp.resolve("real.md");
        properties.setProperty("bench.report", report.toString());

        final int status = new Suite(SuiteOptions.from(new String[] {"--smoke", "--only=cas-uncontended"}, properties)).run();

        final String md = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(0, status, md);
        final String row = md.lines().filter(l -> l.startsWith("| cas-uncontended | CAS lock + counter++ + release unlock |"))
            .findFirst().orElseThrow(() -> new AssertionError("no CAS lock row in\n" + md));
        if (gcc) {
            assertTrue(row.matches(".*\\| [0-9.e+-]+x \\([0-9.e+-]+, C CAS lock\\+unlock.*"), row);
            // The placement probe ran before the C limits and before the workload, each giving a time.
            assertTrue(md.matches("(?s).*- \\*\\*vCPU placement\\*\\*: C spin ping-pong round trip p50 .*: "
                + "C limits [0-9]+ ns, cas-uncontended [0-9]+ ns\\..*"), md);
        }
        if (python) {
            assertTrue(row.matches(".*\\| [0-9.e+-]+x \\([0-9.e+-]+, Lock acquire\\+release.*"), row);
        }
    }
}
