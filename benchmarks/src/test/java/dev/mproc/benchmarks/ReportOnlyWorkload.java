package dev.mproc.benchmarks;

import java.util.List;

/**
 * A workload that exists only to be reported on or charted: its name, figures and peer are all a
 * test needs; it never runs.
 *
 * @param name       its name
 * @param peerSource the Java peer it stands for, or null for mproc
 * @param figures    its figures
 */
record ReportOnlyWorkload(String name, String peerSource, List<Figure> figures) implements Workload {

    /**
     * @param name    its name
     * @param figures its figures
     * @return an mproc workload
     */
    static ReportOnlyWorkload of(final String name, final Figure... figures) {
        return new ReportOnlyWorkload(name, null, List.of(figures));
    }

    @Override
    public String title() {
        return "A workload that only exists to be reported on.";
    }

    @Override
    public int sides() {
        return 1;
    }

    @Override
    public long iterations(final boolean smoke) {
        return 10;
    }

    @Override
    public String iterationUnit() {
        return "things";
    }

    @Override
    public void runSide(final SideContext context) {
        throw new UnsupportedOperationException("only reported on: " + name);
    }
}
