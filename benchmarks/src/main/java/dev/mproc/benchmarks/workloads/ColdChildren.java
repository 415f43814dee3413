package dev.mproc.benchmarks.workloads;

/**
 * Makes every child JVM a side starts a cold start: no spare JVM booted ahead of need.
 * <p>
 * Why: {@code Process.start()} may take a spare JVM that the process module starts in the
 * background when an earlier child ends (system property {@value #SPARES_PROPERTY}, read once when
 * the module first starts a child). Started back to back, as a workload starts them, children would
 * then alternate between a spare that has booted, one still booting, and a cold start while a spare
 * boots beside it on the same CPUs: a figure that is neither the cold start the target is stated for
 * nor a warm one. Workloads that time starts call {@link #require()} before they start anything.
 */
final class ColdChildren {
    /** The process module's setting: spare JVMs kept per child command line; 0 turns them off. */
    static final String SPARES_PROPERTY = "mproc.process.spares";

    private ColdChildren() {
    }

    /**
     * Turns spare JVMs off for this JVM; call before the first child is started.
     *
     * @return a line for the workload's notes
     */
    static String require() {
        final String before = System.getProperty(SPARES_PROPERTY);
        System.setProperty(SPARES_PROPERTY, "0");
        return "spare JVMs off (-D" + SPARES_PROPERTY + "=0" + (before == null ? "" : ", was " + before)
            + "): every child is a cold JVM start";
    }
}
