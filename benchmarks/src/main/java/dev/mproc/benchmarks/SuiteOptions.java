package dev.mproc.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The suite's settings, from its arguments and {@code bench.*} system properties (an empty
 * property counts as unset, because the Maven execution passes every knob through).
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>argument / property</th><th>default</th></tr>
 *   <tr><td>{@code --smoke} / {@code bench.smoke=true}</td><td>off: tiny counts, 1 warm-up, 2 runs,
 *   no C limits, CPython at scale 0.01, report in {@code benchmarks/target/bench/smoke.md}</td></tr>
 *   <tr><td>{@code --only=a,b} / {@code bench.only}</td><td>all workloads; with a selection the
 *   report goes to {@code benchmarks/target/bench/<names>.md}</td></tr>
 *   <tr><td>{@code --report=path} / {@code bench.report}</td><td>{@code benchmarks/results/latest.md}
 *   for the full suite</td></tr>
 *   <tr><td>{@code bench.limits}: path to {@code run.sh}, or {@code skip}</td>
 *   <td>{@code <root>/../shared/limits/run.sh}; skipped in smoke mode</td></tr>
 *   <tr><td>{@code bench.limitsMode}</td><td>{@code quick}</td></tr>
 *   <tr><td>{@code bench.python}: path to the baseline script, or {@code skip}</td>
 *   <td>{@code <root>/../shared/baselines/python_mp_baseline.py}</td></tr>
 *   <tr><td>{@code bench.pythonExe}</td><td>{@code python3}</td></tr>
 *   <tr><td>{@code bench.pythonScale}</td><td>1 (smoke: 0.01)</td></tr>
 *   <tr><td>{@code bench.runs} / {@code bench.warmups}</td><td>7 / 2 (smoke: 2 / 1)</td></tr>
 *   <tr><td>{@code bench.scale}: factor on every workload's iterations</td><td>1</td></tr>
 *   <tr><td>{@code bench.pin}</td><td>true: pin sides with taskset when available</td></tr>
 *   <tr><td>{@code bench.jvmArgs}: extra options for the sides' JVMs</td><td>none</td></tr>
 *   <tr><td>{@code bench.timeoutSeconds}: per workload</td><td>300 (smoke: 120)</td></tr>
 *   <tr><td>{@code bench.root}: the project root</td><td>found from the working directory</td></tr>
 * </table>
 */
public final class SuiteOptions {
    /** The property value that turns a peer off. */
    public static final String SKIP = "skip";

    private final boolean smoke;
    private final Set<String> only;
    private final Path root;
    private final Path report;
    private final String limits;
    private final String limitsMode;
    private final String python;
    private final String pythonExe;
    private final double pythonScale;
    private final int runs;
    private final int warmups;
    private final double scale;
    private final boolean pin;
    private final List<String> jvmArgs;
    private final Duration workloadTimeout;

    private SuiteOptions(final String[] args, final Properties properties) {
        boolean smokeArg = false;
        String onlyArg = null;
        String reportArg = null;
        for (final String arg : args) {
            if (arg.equals("--smoke")) {
                smokeArg = true;
            } else if (arg.startsWith("--only=")) {
                onlyArg = arg.substring("--only=".length());
            } else if (arg.startsWith("--report=")) {
                reportArg = arg.substring("--report=".length());
            } else {
                throw new IllegalArgumentException("unknown argument: " + arg + "\n" + usage());
            }
        }
        this.smoke = smokeArg || Boolean.parseBoolean(get(properties, "bench.smoke", "false"));
        final String onlyText = onlyArg != null ? onlyArg : get(properties, "bench.only", "");
        this.only = new LinkedHashSet<>();
        for (final String name : onlyText.split(",")) {
            if (!name.isBlank()) {
                only.add(name.strip());
            }
        }
        this.root = findRoot(get(properties, "bench.root", ""));
        final String reportText = reportArg != null ? reportArg : get(properties, "bench.report", "");
        this.report = !reportText.isEmpty() ? Path.of(reportText).toAbsolutePath().normalize() : defaultReport();
        this.limits = get(properties, "bench.limits",
            smoke ? SKIP : root.resolve("../shared/limits/run.sh").normalize().toString());
        this.limitsMode = get(properties, "bench.limitsMode", "quick");
        this.python = get(properties, "bench.python",
            root.resolve("../shared/baselines/python_mp_baseline.py").normalize().toString());
        this.pythonExe = get(properties, "bench.pythonExe", "python3");
        this.pythonScale = Double.parseDouble(get(properties, "bench.pythonScale", smoke ? "0.01" : "1"));
        this.runs = Integer.parseInt(get(properties, "bench.runs", smoke ? "2" : "7"));
        this.warmups = Integer.parseInt(get(properties, "bench.warmups", smoke ? "1" : "2"));
        this.scale = Double.parseDouble(get(properties, "bench.scale", "1"));
        this.pin = Boolean.parseBoolean(get(properties, "bench.pin", "true"));
        final String jvm = get(properties, "bench.jvmArgs", "");
        this.jvmArgs = jvm.isBlank() ? List.of() : List.of(jvm.strip().split("\\s+"));
        this.workloadTimeout = Duration.ofSeconds(Long.parseLong(get(properties, "bench.timeoutSeconds",
            smoke ? "120" : "300")));
        if (runs < 1 || warmups < 0 || scale <= 0 || pythonScale <= 0) {
            throw new IllegalArgumentException("need runs >= 1, warmups >= 0, scale > 0, pythonScale > 0: runs=" + runs
                + " warmups=" + warmups + " scale=" + scale + " pythonScale=" + pythonScale);
        }
    }

    /**
     * @param args       the suite's arguments
     * @param properties where {@code bench.*} settings are read (normally the system properties)
     * @return the settings
     * @throws IllegalArgumentException on an unknown argument or a malformed number
     */
    public static SuiteOptions from(final String[] args, final Properties properties) {
        return new SuiteOptions(args, properties);
    }

    /**
     * @return the command-line help
     */
    public static String usage() {
        return "usage: Suite [--smoke] [--only=workload,...] [--report=path]   (bench.* properties: see SuiteOptions)";
    }

    private static String get(final Properties properties, final String key, final String fallback) {
        final String value = properties.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** The project root: the directory holding {@code benchmarks/pom.xml}. */
    private static Path findRoot(final String configured) {
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        final Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("benchmarks").resolve("pom.xml"))) {
                return dir;
            }
        }
        return cwd;
    }

    private Path defaultReport() {
        final Path target = root.resolve("benchmarks").resolve("target").resolve("bench");
        if (smoke) {
            return target.resolve("smoke.md");
        }
        if (!only.isEmpty()) {
            return target.resolve(String.join("+", only).replaceAll("[^A-Za-z0-9._+-]", "_") + ".md");
        }
        return root.resolve("benchmarks").resolve("results").resolve("latest.md");
    }

    /** @return true in smoke mode */
    public boolean smoke() {
        return smoke;
    }

    /** @return the workloads asked for; empty means all */
    public Set<String> only() {
        return Set.copyOf(only);
    }

    /** @return the selection in the order given */
    List<String> onlyInOrder() {
        return new ArrayList<>(only);
    }

    /** @return the project root */
    public Path root() {
        return root;
    }

    /** @return where the report is written */
    public Path report() {
        return report;
    }

    /** @return the path of run.sh, or {@link #SKIP} */
    public String limits() {
        return limits;
    }

    /** @return run.sh's mode: quick or full */
    public String limitsMode() {
        return limitsMode;
    }

    /** @return the path of the CPython baseline, or {@link #SKIP} */
    public String python() {
        return python;
    }

    /** @return the Python interpreter */
    public String pythonExe() {
        return pythonExe;
    }

    /** @return the CPython baseline's scale */
    public double pythonScale() {
        return pythonScale;
    }

    /** @return measured runs per workload */
    public int runs() {
        return runs;
    }

    /** @return warm-up runs per workload */
    public int warmups() {
        return warmups;
    }

    /** @return factor on every workload's iterations */
    public double scale() {
        return scale;
    }

    /** @return true to pin sides to CPUs when possible */
    public boolean pin() {
        return pin;
    }

    /** @return extra JVM options for the sides */
    public List<String> jvmArgs() {
        return jvmArgs;
    }

    /** @return how long one workload may take */
    public Duration workloadTimeout() {
        return workloadTimeout;
    }

    /** @return a one-line summary for the report */
    String describe() {
        return String.format(Locale.ROOT, "%s; runs=%d warmups=%d scale=%s%s; limits=%s (%s); python=%s %s (scale %s)",
            smoke ? "smoke" : "full", runs, warmups, Numbers.format(scale),
            only.isEmpty() ? "" : "; only=" + String.join(",", only),
            limits, limitsMode, pythonExe, python, Numbers.format(pythonScale));
    }

    @Override
    public String toString() {
        return "SuiteOptions[" + describe() + ", report=" + report + ", root=" + root + ", pin=" + pin
            + ", jvmArgs=" + jvmArgs + ", timeout=" + workloadTimeout + "]";
    }
}
