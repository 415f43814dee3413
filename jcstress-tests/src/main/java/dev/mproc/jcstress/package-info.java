/**
 * jcstress tests of mproc's primitives: each test maps one file twice, modelling two processes.
 * <p>
 * Layout: one subpackage per module under test ({@code core}, {@code sync}, {@code ipc});
 * the harness in {@code harness}. A {@code core} test's state takes its two mappings and a fresh
 * zeroed slot from {@link dev.mproc.jcstress.harness.TwoMappings}; a {@code sync} or {@code ipc} test's state
 * borrows an object and a second handle on its file (a second mapping) from
 * {@link dev.mproc.jcstress.harness.PairPool}. Each actor touches the shared state only through
 * its own mapping. Every test lists its acceptable outcomes and ends with a
 * catch-all {@code @Outcome(expect = FORBIDDEN, desc = "...")}; blocking calls are tested in
 * {@code Mode.Termination} and call
 * {@link dev.mproc.jcstress.harness.WaitChecks#requireLostWakeUpsVisible()} from their state.
 * <p>
 * Running: {@code mvn -pl jcstress-tests verify} runs every {@code @JCStressTest} in this package
 * and its subpackages, in jcstress's "quick" mode on 2 CPUs, through
 * {@link dev.mproc.jcstress.harness.JCStressGate}, which fails the build on a FORBIDDEN outcome, an
 * error, a test that did not run or a filter that matches nothing. To run one test, or a few:
 * <pre>
 *   mvn -pl jcstress-tests verify -Djcstress.filter=DekkerTest
 *   mvn -pl jcstress-tests verify -Djcstress.filter='core\.WaitWord' -Djcstress.mode=default
 * </pre>
 * The filter is a regular expression found in the fully qualified class name. Other switches:
 * {@code -Djcstress.skip=true} (or {@code -DskipTests}) skips the run, {@code -Djcstress.cpus=N}
 * sets the CPUs, {@code -Djcstress.timeoutMillis=...} the backstop for the whole run (20 minutes;
 * raise it for the longer modes). The gate prints a line per test; jcstress's full output and its
 * HTML report are under {@code jcstress-tests/target/jcstress/}.
 */
package dev.mproc.jcstress;
