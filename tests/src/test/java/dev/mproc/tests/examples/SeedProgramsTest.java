package dev.mproc.tests.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mproc.examples.Demo;
import dev.mproc.examples.NumberedProcesses;
import dev.mproc.examples.PoolApplyAsync;
import dev.mproc.examples.PoolMap;
import dev.mproc.examples.ProcessIsolation;
import dev.mproc.examples.ProcessPids;
import dev.mproc.examples.SharedArraySquares;
import dev.mproc.examples.SquareAndCube;
import dev.mproc.examples.SquareAndCubePrinters;
import dev.mproc.tests.ChildJvm;
import dev.mproc.tests.NoLeftoversExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs each seed program of the {@code examples} module as its own JVM, as a user would, and
 * checks what it prints against what the Python original prints: line for line where the program
 * is deterministic; where its processes race to print, the right lines in any order, but each
 * process's own lines in its order, and the parent's lines before or after the children's as
 * {@code join()} dictates.
 * <p>
 * Every program must exit with 0 and print nothing on its standard error: a child that threw
 * would print its stack trace there even when the parent's output still looked right.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class SeedProgramsTest {
    /** Below the test's timeout, so that a slow program fails with its output rather than a bare timeout. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(45);
    private static final String STDERR_TAG = "[stderr] ";
    /**
     * The square and cube loops each take 1 s; run one after the other they would take 2 s. Their
     * span, measured by the children themselves (no JVM start-up in it), must show they overlapped;
     * the slack allows for one child starting late on a busy two-core machine.
     */
    private static final double CONCURRENT_SPAN_LIMIT_SECONDS = 1.8;

    @Test
    void shouldPrintTheSquaresTheFiveProcessesWroteIntoTheSharedArray() {
        final Run run = Run.of(SharedArraySquares.class);
        run.assertLines(List.of("[1, 4, 9, 16, 25]"));
    }

    @Test
    void shouldRunTheSquareAndCubeLoopsConcurrently() {
        final Run run = Run.of(SquareAndCube.class);
        final List<String> lines = run.stdout();
        final List<String> squares = List.of("Square: 100", "Square: 400", "Square: 900", "Square: 1600", "Square: 2500");
        final List<String> cubes = List.of("Cube: 1000", "Cube: 8000", "Cube: 27000", "Cube: 64000", "Cube: 125000");
        run.assertCount(squares.size() + cubes.size() + 3);
        final List<String> results = lines.subList(0, squares.size() + cubes.size());
        run.assertSameLines(concat(squares, cubes), results);
        assertEquals(squares, results.stream().filter(line -> line.startsWith("Square: ")).toList(), run.describe("squares out of order"));
        assertEquals(cubes, results.stream().filter(line -> line.startsWith("Cube: ")).toList(), run.describe("cubes out of order"));

        final Matcher span = run.match(lines.get(10),
            "Both loops ran in (\\d+\\.\\d+) s \\(one after the other they would take (\\d+\\.\\d+) s\\)");
        final double together = Double.parseDouble(span.group(1));
        final double oneAfterTheOther = Double.parseDouble(span.group(2));
        assertTrue(oneAfterTheOther >= 2.0, run.describe("the two loops slept less than 2 s between them"));
        assertTrue(together >= 1.0, run.describe("the loops' span is shorter than one loop's sleeps"));
        assertTrue(together < CONCURRENT_SPAN_LIMIT_SECONDS,
            run.describe("the loops did not overlap: their span was " + together + " s, the limit "
                + CONCURRENT_SPAN_LIMIT_SECONDS + " s"));
        run.match(lines.get(11), "Elapsed: \\d+\\.\\d+ s, starting the two JVMs included");
        assertEquals("Done", lines.get(12), run.describe("Done is not last"));
    }

    @Test
    void shouldShowTheChildsListWhileTheParentsStaysEmpty() {
        final Run run = Run.of(ProcessIsolation.class);
        run.assertLines(List.of("Result in process p1: [1, 4, 9, 16]", "Result in main program: []"));
    }

    @Test
    void shouldPrintTheSquareAndTheCubeThenDone() {
        final Run run = Run.of(SquareAndCubePrinters.class);
        run.assertCount(3);
        run.assertSameLines(List.of("Square: 100", "Cube: 1000"), run.stdout().subList(0, 2));
        assertEquals("Done!", run.stdout().get(2), run.describe("Done! is not last"));
    }

    @Test
    void shouldMapTheSquareOverTheListsInInputOrder() {
        final Run run = Run.of(PoolMap.class);
        run.assertLines(List.of("[1, 4, 9]", "[1, 4, 9, 16, 25]"));
    }

    @Test
    void shouldCollectTheAsyncResultsInSubmissionOrderAfterTheWorkersExit() {
        final Run run = Run.of(PoolApplyAsync.class);
        run.assertLines(List.of("[1, 4, 9, 16, 25, 36, 49, 64, 81]"));
    }

    @Test
    void shouldShowDistinctPidsThatTheWorkersAndTheParentAgreeOn() {
        final Run run = Run.of(ProcessPids.class);
        final List<String> lines = run.stdout();
        run.assertCount(8);
        final long main = Long.parseLong(run.match(lines.get(0), "ID of main process: (\\d+)").group(1));
        assertNotEquals(ProcessHandle.current().pid(), main, run.describe("the main pid is this test JVM's"));

        // The parent's two lines and the workers' two race; each side's own lines keep their order.
        final Map<String, Long> pids = new HashMap<>();
        final List<String> parentSide = new ArrayList<>();
        for (final String line : lines.subList(1, 5)) {
            final Matcher matcher = run.match(line, "ID of process (p1|p2|running worker1|running worker2): (\\d+)");
            if (pids.put(matcher.group(1), Long.parseLong(matcher.group(2))) != null) {
                fail(run.describe("printed \"" + matcher.group(1) + "\" twice"));
            }
            if (matcher.group(1).startsWith("p")) {
                parentSide.add(matcher.group(1));
            }
        }
        assertEquals(List.of("p1", "p2"), parentSide, run.describe("the parent's pid lines are out of order"));
        assertEquals(pids.get("p1"), pids.get("running worker1"), run.describe("worker1 reports another pid than p1.pid()"));
        assertEquals(pids.get("p2"), pids.get("running worker2"), run.describe("worker2 reports another pid than p2.pid()"));
        assertNotEquals(pids.get("p1"), pids.get("p2"), run.describe("the two workers share a pid"));
        assertNotEquals(main, pids.get("p1"), run.describe("worker1 runs in the main process"));
        assertNotEquals(main, pids.get("p2"), run.describe("worker2 runs in the main process"));

        assertEquals(List.of("Both processes finished execution!", "Process p1 is alive: false", "Process p2 is alive: false"),
            lines.subList(5, 8), run.describe("the lines after join differ"));
    }

    @Test
    void shouldPrintEachProcessNumberOnce() {
        final Run run = Run.of(NumberedProcesses.class);
        run.assertCount(4);
        run.assertSameLines(List.of("Process 0: My number is 0", "Process 1: My number is 1",
            "Process 2: My number is 2", "Process 3: My number is 3"), run.stdout());
    }

    @Test
    void shouldRunAllEightProgramsUnderTheirHeadingsInTheDemo() {
        final Run run = Run.of(Demo.class);
        final List<String> headings = run.stdout().stream().filter(line -> line.startsWith("=== ")).toList();
        assertEquals(8, headings.size(), run.describe("the demo printed another number of headings"));
        for (int i = 0; i < headings.size(); i++) {
            assertTrue(headings.get(i).startsWith("=== " + (i + 1) + ". "), run.describe("heading " + (i + 1) + " is out of place"));
        }
        for (final String expected : List.of("[1, 4, 9, 16, 25]", "Done", "Result in main program: []", "Done!",
            "[1, 4, 9]", "[1, 4, 9, 16, 25, 36, 49, 64, 81]", "Process p2 is alive: false", "Process 3: My number is 3")) {
            assertTrue(run.stdout().contains(expected), run.describe("the demo did not print \"" + expected + "\""));
        }
        run.match(run.stdout().getLast(), "All eight programs ran in \\d+\\.\\d s");
    }

    private static List<String> concat(final List<String> first, final List<String> second) {
        final List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** One finished run of a program: its stdout lines, and its whole transcript for messages. */
    private record Run(String program, List<String> stdout, String transcript) {

        /** Runs {@code program}'s main in a new JVM, waits for it, and checks it ended cleanly. */
        static Run of(final Class<?> program) {
            try (ChildJvm child = ChildJvm.start(program)) {
                final int exitCode = child.waitFor(RUN_LIMIT);
                final String transcript = child.output();
                final List<String> stdout = new ArrayList<>();
                final List<String> stderr = new ArrayList<>();
                for (final String line : transcript.isEmpty() ? List.<String>of() : List.of(transcript.split("\n", -1))) {
                    (line.startsWith(STDERR_TAG) ? stderr : stdout).add(line);
                }
                final Run run = new Run(program.getSimpleName(), List.copyOf(stdout), transcript);
                assertEquals(0, exitCode, run.describe("exited with " + exitCode));
                assertEquals(List.of(), stderr, run.describe("wrote to its standard error"));
                return run;
            }
        }

        void assertLines(final List<String> expected) {
            assertEquals(expected, stdout, describe("printed other lines"));
        }

        void assertCount(final int expected) {
            assertEquals(expected, stdout.size(), describe("printed " + stdout.size() + " lines, not " + expected));
        }

        /** The same lines, in any order: where processes race to print. */
        void assertSameLines(final List<String> expected, final List<String> actual) {
            assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList(), describe("printed other lines"));
        }

        Matcher match(final String line, final String regex) {
            final Matcher matcher = Pattern.compile(regex).matcher(line);
            if (!matcher.matches()) {
                fail(describe("printed \"" + line + "\" where a line matching " + regex + " was expected"));
            }
            return matcher;
        }

        String describe(final String what) {
            return program + " " + what + "\n----- output -----\n" + transcript + "\n------------------";
        }
    }
}
