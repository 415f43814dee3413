package dev.mproc.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A peer program run in a child process: the C limits script or the CPython baseline.
 * <p>
 * Whatever goes wrong (the script is missing, {@code gcc} or {@code python3} is not installed, it
 * fails, it hangs, it prints nothing usable) becomes a {@link PeerRun#reason() reason} that the
 * report prints as "not available: ...": a peer can never fail the suite.
 */
final class ExternalPeer {
    private final String source;
    private final String title;
    private final Path script;
    private final List<String> command;
    private final List<String> requiredPrograms;
    private final Duration timeout;
    private final Function<String, Map<String, PeerValue>> parser;

    /**
     * @param source           the peer's id
     * @param title            its name in the report
     * @param script           the script the command runs, checked to exist first
     * @param command          the full command line
     * @param requiredPrograms programs that must be on the PATH (the interpreter, the compiler)
     * @param timeout          how long it may run
     * @param parser           turns its output into figures
     */
    ExternalPeer(
        final String source,
        final String title,
        final Path script,
        final List<String> command,
        final List<String> requiredPrograms,
        final Duration timeout,
        final Function<String, Map<String, PeerValue>> parser) {
        this.source = Objects.requireNonNull(source, "source");
        this.title = Objects.requireNonNull(title, "title");
        this.script = Objects.requireNonNull(script, "script");
        this.command = List.copyOf(command);
        this.requiredPrograms = List.copyOf(requiredPrograms);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * @param source the peer's id
     * @param title  its name in the report
     * @param reason why it is not run
     * @return a run that reports the reason without starting anything
     */
    static PeerRun skipped(final String source, final String title, final String reason) {
        return PeerRun.unavailable(source, title, "-", reason, "", Duration.ZERO);
    }

    String commandLine() {
        return String.join(" ", command);
    }

    PeerRun run() {
        if (!Files.isRegularFile(script)) {
            return PeerRun.unavailable(source, title, commandLine(), "no such file: " + script, "", Duration.ZERO);
        }
        for (final String program : requiredPrograms) {
            if (Executables.find(program).isEmpty()) {
                return PeerRun.unavailable(source, title, commandLine(), program + " not found on PATH", "",
                    Duration.ZERO);
            }
        }
        final long start = System.nanoTime();
        Path outputFile = null;
        Process process = null;
        try {
            outputFile = Files.createTempFile("mproc-bench-peer-", ".out");
            process = new ProcessBuilder(command)
                .directory(script.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
            final boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!exited) {
                destroyTree(process);
                return PeerRun.unavailable(source, title, commandLine(),
                    "timed out after " + timeout.toSeconds() + " s", read(outputFile), took);
            }
            final String output = read(outputFile);
            if (process.exitValue() != 0) {
                return PeerRun.unavailable(source, title, commandLine(),
                    "exit status " + process.exitValue() + lastLine(output), output, took);
            }
            final Map<String, PeerValue> figures = parser.apply(output);
            if (figures.isEmpty()) {
                return PeerRun.unavailable(source, title, commandLine(), "no figures in its output", output, took);
            }
            return new PeerRun(source, title, commandLine(), null, output, took, figures);
        } catch (final IOException | UncheckedIOException e) {
            return PeerRun.unavailable(source, title, commandLine(), "cannot run: " + e.getMessage(), "",
                Duration.ofNanos(System.nanoTime() - start));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerRun.unavailable(source, title, commandLine(), "interrupted", "",
                Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (process != null && process.isAlive()) {
                destroyTree(process);
            }
            if (outputFile != null) {
                try {
                    Files.deleteIfExists(outputFile);
                } catch (final IOException ignored) {
                    // A temp file left in /tmp is harmless.
                }
            }
        }
    }

    /** Kills the script and everything it started (the C programs, Python's workers). */
    private static void destroyTree(final Process process) {
        final List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(final Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String lastLine(final String output) {
        final String[] lines = output.strip().split("\n");
        final String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "" : " (" + (last.length() > 160 ? last.substring(0, 160) + "..." : last) + ")";
    }
}
