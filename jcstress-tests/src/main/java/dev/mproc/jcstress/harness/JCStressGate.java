package dev.mproc.jcstress.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.classfile.Annotation;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.RuntimeVisibleAnnotationsAttribute;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.TestGrading;
import org.openjdk.jcstress.infra.runners.TestConfig;
import org.openjdk.jcstress.vm.CompileMode;

/**
 * Runs jcstress and fails (exit status 1) unless every selected test ran and passed.
 * <p>
 * Why a gate: jcstress 0.16 fails (with an AssertionError) when a test it ran failed, but it exits 0
 * when its filter matches no test and when it can schedule none of them on the CPUs given (it
 * prints "FATAL: No matching tests." and returns). It cannot know about test classes whose runners
 * were never generated, as happens on JDK 23+ when the compiler runs no annotation processor. And
 * its own failure list has a line per JVM configuration, hard to read in a build log. So the gate:
 * <ol>
 *   <li>finds the {@code @JCStressTest} classes in the compiled classes directory (reading class
 *   files, not jcstress's generated list) and selects those the {@code -t} filter matches as
 *   jcstress does; none selected is a failure;</li>
 *   <li>checks that jcstress has a generated runner for each selected class;</li>
 *   <li>runs jcstress in this JVM (it forks the test JVMs itself), its console output going to a
 *   log file next to its result file;</li>
 *   <li>reads the binary result file back and fails on a test without results, a status other than
 *   normal (test error, timeout, JVM crash), or a result jcstress's own grading does not pass
 *   (a FORBIDDEN outcome), printing which test, in which JVM configuration, and why.</li>
 * </ol>
 * Usage: {@code JCStressGate <classes-dir> <jcstress options...>}; jcstress writes its result
 * file into the working directory, its report into {@code -r}.
 * <p>
 * A caveat no gate can fix: while jcstress 0.16 sizes its strides (before the measured
 * iterations), an exception thrown by an actor is caught and dropped, and the samples of that
 * batch are recorded anyway, with the failed actor's part missing. Such an exception shows up as
 * a FORBIDDEN outcome (never as a pass), with no error status; for that case the gate prints a
 * failing fork's stderr, where the harness reports its own exceptions ({@link PairPool}). Tests
 * should catch what their actors can throw and record it as an outcome.
 */
public final class JCStressGate {
    private static final String TEST_ANNOTATION = "Lorg/openjdk/jcstress/annotations/JCStressTest;";
    private static final int MAX_DETAIL_LINES = 20;

    private final Path classes;
    private final String[] jcstressArgs;
    private final PrintStream console;
    private final List<String> problems = new ArrayList<>();
    private final ByteArrayOutputStream parseOutput = new ByteArrayOutputStream();

    private JCStressGate(final Path classes, final String[] jcstressArgs, final PrintStream console) {
        this.classes = classes;
        this.jcstressArgs = jcstressArgs;
        this.console = console;
    }

    /**
     * @param args the compiled classes directory, then jcstress's options
     * @throws Exception when the result file cannot be read (exit status 1 with the stack trace)
     */
    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: JCStressGate <classes-dir> <jcstress options...>");
            System.exit(2);
        }
        final JCStressGate gate = new JCStressGate(
            Path.of(args[0]), Arrays.copyOfRange(args, 1, args.length), System.out);
        final boolean passed = gate.run();
        System.out.flush();
        System.err.flush();
        // jcstress may leave non-daemon threads behind; the verdict is the exit status.
        System.exit(passed ? 0 : 1);
    }

    private boolean run() throws Exception {
        final Options options = new Options(jcstressArgs);
        final boolean parsed;
        final PrintStream out = System.out;
        try {
            // Parsing prints (it measures the CPUs); that belongs in the log with the rest.
            System.setOut(new PrintStream(parseOutput, true, StandardCharsets.UTF_8));
            parsed = options.parse();
        } finally {
            System.setOut(out);
        }
        if (!parsed) {
            console.print(parseOutput.toString(StandardCharsets.UTF_8));
            return fail("jcstress rejected the options " + Arrays.toString(jcstressArgs));
        }
        final SortedSet<String> declared = declaredTests(classes);
        if (declared.isEmpty()) {
            return fail("no @JCStressTest class under " + classes.toAbsolutePath() + ": nothing was compiled?");
        }
        final SortedSet<String> selected = select(declared, options.getTestFilter());
        if (selected.isEmpty()) {
            return fail("filter \"" + options.getTestFilter() + "\" matches none of the " + declared.size()
                + " @JCStressTest classes: " + declared);
        }
        final SortedSet<String> withoutRunner = new TreeSet<>(selected);
        // jcstress's list of generated runners; reading it fails outright when there is none.
        if (ClassLoader.getSystemResource("META-INF/TestList") != null) {
            withoutRunner.removeAll(new JCStress(options).getTests());
        }
        if (!withoutRunner.isEmpty()) {
            return fail("jcstress has no generated runner for " + withoutRunner
                + ": did the annotation processor run (<proc>full</proc> on JDK 23+)?");
        }

        final Path resultFile = Path.of(options.getResultFile()).toAbsolutePath();
        final Path log = resultFile.resolveSibling(resultFile.getFileName().toString().replace(".bin.gz", "") + ".log");
        console.printf("JCStressGate: %d test(s), mode %s, %d CPU(s), JDK %s; jcstress output in %s%n",
            selected.size(), jcstressArgValue("-m", "default"), options.getCPUCount(), Runtime.version(), log);
        final long start = System.nanoTime();
        final Throwable jcstressFailure = runJCStress(options, log);
        final long seconds = Math.round((System.nanoTime() - start) / 1e9);

        final Map<String, List<TestResult>> byTest;
        if (Files.isRegularFile(resultFile)) {
            byTest = readResults(resultFile);
        } else {
            // jcstress ran nothing, e.g. it could schedule none of the tests on the CPUs given.
            problems.add("jcstress wrote no result file " + resultFile
                + (jcstressFailure != null ? " (" + jcstressFailure + ")" : ""));
            byTest = Map.of();
        }
        int passed = 0;
        for (final String test : selected) {
            final List<TestResult> results = byTest.getOrDefault(test, List.of());
            if (checkTest(test, results, options)) {
                passed++;
            }
        }
        for (final String test : byTest.keySet()) {
            if (!selected.contains(test)) {
                problems.add(test + ": jcstress ran it although the gate did not select it");
            }
        }
        if (problems.isEmpty() && jcstressFailure != null) {
            // jcstress found a failure the gate's own checks missed: trust jcstress.
            problems.add("jcstress failed: " + jcstressFailure);
        }
        console.printf("JCStressGate: %d of %d test(s) passed in %d s; report in %s%n",
            passed, selected.size(), seconds, Path.of(options.getResultDest()).toAbsolutePath());
        if (!problems.isEmpty()) {
            final StringBuilder report = new StringBuilder("JCStressGate: FAILED\n");
            for (final String problem : problems) {
                report.append("  ").append(problem.replace("\n", "\n    ")).append('\n');
            }
            report.append("  (full jcstress output: ").append(log).append(")");
            console.println(report);
            return false;
        }
        return true;
    }

    private boolean fail(final String problem) {
        console.println("JCStressGate: FAILED: " + problem);
        return false;
    }

    /**
     * @return the fully qualified names of the classes annotated {@code @JCStressTest}
     */
    private static SortedSet<String> declaredTests(final Path classesDir) throws IOException {
        final SortedSet<String> tests = new TreeSet<>();
        if (!Files.isDirectory(classesDir)) {
            return tests;
        }
        final List<Path> classFiles;
        try (Stream<Path> walk = Files.walk(classesDir)) {
            classFiles = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (final Path classFile : classFiles) {
            final ClassModel model = ClassFile.of().parse(classFile);
            final boolean isTest = model.findAttribute(Attributes.runtimeVisibleAnnotations())
                .map(RuntimeVisibleAnnotationsAttribute::annotations)
                .orElse(List.of())
                .stream()
                .map(Annotation::className)
                .anyMatch(type -> type.stringValue().equals(TEST_ANNOTATION));
            if (isTest) {
                tests.add(model.thisClass().asInternalName().replace('/', '.'));
            }
        }
        return tests;
    }

    /**
     * Runs jcstress, its output going to the log.
     *
     * @return what jcstress threw, or null: it throws an AssertionError after writing its results
     *         when a test failed, which the gate then reports in its own words from the results
     */
    private Throwable runJCStress(final Options options, final Path log) throws IOException {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        try (OutputStream file = Files.newOutputStream(log);
             PrintStream capture = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            // jcstress prints progress, settings and its report to System.out: a lot for a build
            // log. The gate prints the verdict; the full output stays in the log.
            capture.write(parseOutput.toByteArray());
            System.setOut(capture);
            System.setErr(capture);
            try {
                new JCStress(options).run();
                return null;
            } catch (final Exception | AssertionError e) {
                e.printStackTrace(capture);
                return e;
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Map<String, List<TestResult>> readResults(final Path resultFile) throws Exception {
        final InProcessCollector collector = new InProcessCollector();
        final DiskReadCollector reader = new DiskReadCollector(resultFile.toString(), collector);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        final Map<String, List<TestResult>> byTest = new TreeMap<>();
        for (final TestResult result : collector.getTestResults()) {
            byTest.computeIfAbsent(result.getName(), k -> new ArrayList<>()).add(result);
        }
        return byTest;
    }

    /** Records every problem of one test; prints its line of the summary. @return true if it passed */
    private boolean checkTest(final String test, final List<TestResult> results, final Options options) {
        if (results.isEmpty()) {
            problems.add(test + ": did not run (no results; with -c " + options.getCPUCount()
                + ", can jcstress schedule all its actors?)");
            console.printf("  FAIL %s: did not run%n", test);
            return false;
        }
        final Map<String, Long> outcomes = new TreeMap<>();
        // Failures grouped by what went wrong, each with the runs (JVM configurations) it happened in.
        final Map<String, List<String>> failures = new TreeMap<>();
        long samples = 0;
        for (final TestResult result : results) {
            for (final String outcome : result.getStateKeys()) {
                outcomes.merge(outcome, result.getCount(outcome), Long::sum);
            }
            samples += result.getTotalCount();
            final String run = describe(result.getConfig(), options) + "; outcomes " + countsOf(result);
            if (result.status() != Status.NORMAL) {
                failures.computeIfAbsent("status " + result.status() + "\n"
                    + head(result.getMessages()) + head(result.getVmErr()), k -> new ArrayList<>()).add(run);
                continue;
            }
            final TestGrading grading = TestGrading.grade(result);
            if (!grading.isPassed) {
                // A forbidden outcome can be the trace of an exception that jcstress swallowed (see
                // the class comment): whatever the fork printed on stderr goes with it.
                final String withErr = result.getVmErr().isEmpty() ? run
                    : run + "\nthe fork's stderr:\n" + head(result.getVmErr());
                failures.computeIfAbsent(String.join("; ", grading.failureMessages), k -> new ArrayList<>()).add(withErr);
            } else if (result.getTotalCount() == 0) {
                failures.computeIfAbsent("no samples recorded", k -> new ArrayList<>()).add(run);
            }
        }
        for (final Map.Entry<String, List<String>> failure : failures.entrySet()) {
            final List<String> runs = failure.getValue();
            problems.add(test + ": " + failure.getKey().strip() + "\nin " + runs.size() + " of " + results.size()
                + " runs, e.g. " + runs.getFirst());
        }
        final boolean passed = failures.isEmpty();
        console.printf("  %s %s: %d runs, %d samples %s%n",
            passed ? "PASS" : "FAIL", test, results.size(), samples, outcomes);
        return passed;
    }

    private static String describe(final TestConfig config, final Options options) {
        final List<String> jvmArgs = new ArrayList<>(config.jvmArgs);
        jvmArgs.removeAll(options.getJvmArgsPrepend());
        final String compilation = CompileMode.description(config.compileMode, config.actorNames)
            .strip()
            .replaceAll("\\s*\n\\s*", ", ");
        return "JVM args " + jvmArgs + ", " + compilation;
    }

    private static String countsOf(final TestResult result) {
        final Map<String, Long> counts = new TreeMap<>();
        for (final String outcome : result.getStateKeys()) {
            counts.put(outcome, result.getCount(outcome));
        }
        return counts.toString();
    }

    private static String head(final List<String> lines) {
        final StringBuilder sb = new StringBuilder();
        final int shown = Math.min(lines.size(), MAX_DETAIL_LINES);
        for (int i = 0; i < shown; i++) {
            sb.append("  ").append(lines.get(i)).append('\n');
        }
        if (lines.size() > shown) {
            sb.append("  ... ").append(lines.size() - shown).append(" more line(s)\n");
        }
        return sb.toString();
    }

    private String jcstressArgValue(final String option, final String absent) {
        for (int i = 0; i < jcstressArgs.length - 1; i++) {
            if (jcstressArgs[i].equals(option)) {
                return jcstressArgs[i + 1];
            }
        }
        return absent;
    }

    /** @return the names the filter selects, as jcstress selects them: find(), not matches() */
    private static SortedSet<String> select(final Set<String> names, final String filter) {
        final Pattern pattern = Pattern.compile(filter);
        final SortedSet<String> selected = new TreeSet<>();
        for (final String name : names) {
            if (pattern.matcher(name).find()) {
                selected.add(name);
            }
        }
        return selected;
    }
}
