package dev.mproc.benchmarks.workloads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets a side JVM, and the JVMs it starts, run on every online CPU again.
 * <p>
 * Why: the harness pins each side with {@code taskset -c}, and a CPU mask is inherited by every
 * process started afterwards. A side that measures {@code Process} or {@code Pool} would otherwise
 * run its children on its own CPU: two pool workers and their parent time-sharing one CPU, and every
 * child JVM starting up (JIT compiler and GC threads included) on one CPU while the other idles.
 * CPython's figures beside these were taken unpinned. {@code taskset -a -p} sets the mask of every
 * thread the JVM has now; threads it starts later take the mask of the thread starting them.
 */
final class AllCpus {
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static final Path THREAD_STATUS = Path.of("/proc/thread-self/status");
    private static final String ALLOWED = "Cpus_allowed_list:";
    private static final long TASKSET_TIMEOUT_SECONDS = 10;

    private AllCpus() {
    }

    /**
     * Widens this JVM's CPU mask to every online CPU if it is narrower.
     *
     * @return a line for the workload's notes saying what the mask was and is
     * @throws IllegalStateException if the mask was narrower and could not be widened
     * @throws IOException           if taskset cannot be started
     * @throws InterruptedException  if interrupted while taskset runs
     */
    static String widen() throws IOException, InterruptedException {
        final String online;
        final String before;
        try {
            online = Files.readString(ONLINE, StandardCharsets.US_ASCII).strip();
            before = allowed();
        } catch (final NoSuchFileException e) {
            return "CPU mask left as it is (no " + e.getFile() + ")";
        }
        if (before.equals(online)) {
            return "not pinned: this JVM and the JVMs it starts may run on CPUs " + online;
        }
        final List<String> command = List.of("taskset", "-a", "-p", "-c", online,
            Long.toString(ProcessHandle.current().pid()));
        final Process taskset = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (!taskset.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            taskset.destroyForcibly();
            throw new IllegalStateException("taskset did not finish within " + TASKSET_TIMEOUT_SECONDS + " s: "
                + String.join(" ", command));
        }
        final String after = allowed();
        if (taskset.exitValue() != 0 || !after.equals(online)) {
            throw new IllegalStateException("cannot unpin this side JVM: " + String.join(" ", command)
                + " exited with status " + taskset.exitValue() + "; CPUs allowed before=" + before + " after=" + after
                + " online=" + online);
        }
        return "unpinned: the harness started this JVM on CPU " + before + "; it widened its mask to CPUs " + online
            + " (taskset -a -p) so that the JVMs it starts are not pinned beside it";
    }

    /** @return the CPUs the calling thread may run on, as a list such as {@code 0-1} */
    private static String allowed() throws IOException {
        for (final String line : Files.readAllLines(THREAD_STATUS, StandardCharsets.US_ASCII)) {
            if (line.startsWith(ALLOWED)) {
                return line.substring(ALLOWED.length()).strip();
            }
        }
        throw new IOException("no " + ALLOWED + " line in " + THREAD_STATUS);
    }
}
