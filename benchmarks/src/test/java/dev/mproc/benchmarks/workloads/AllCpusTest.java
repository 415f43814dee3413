package dev.mproc.benchmarks.workloads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the process and pool workloads rely on besides mproc: a side the harness pinned to one CPU
 * can start children that run on every CPU, and /proc gives a process's resident memory.
 */
class AllCpusTest {
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

    /**
     * Entry point of the pinned JVM: widens its mask as a side does, then prints its note and the
     * mask of a process it starts, which is what a pool worker would inherit.
     */
    static final class PinnedSide {
        public static void main(final String[] args) throws Exception {
            System.out.println("note: " + AllCpus.widen());
            final Process child = new ProcessBuilder("grep", "Cpus_allowed_list", "/proc/self/status")
                .redirectErrorStream(true).start();
            System.out.print("child: " + new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            System.exit(child.waitFor());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLetTheProcessesAPinnedSideStartsRunOnEveryCpu() throws Exception {
        assumeTrue(Files.isRegularFile(ONLINE) && Runtime.getRuntime().availableProcessors() >= 2,
            "needs Linux with at least two CPUs");
        assumeTrue(onPath("taskset"), "needs taskset, as the harness does to pin sides");
        final String online = Files.readString(ONLINE, StandardCharsets.US_ASCII).strip();
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process side = new ProcessBuilder("taskset", "-c", "0", java.toString(), "-cp",
            System.getProperty("java.class.path"), PinnedSide.class.getName())
            .redirectErrorStream(true).start();
        final String output = new String(side.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, side.waitFor(), output);
        assertTrue(output.contains("note: unpinned: the harness started this JVM on CPU 0; it widened its mask to CPUs "
            + online), output);
        assertTrue(output.contains("child: Cpus_allowed_list:\t" + online + "\n"), output);
    }

    @Test
    void shouldSayNothingChangedWhenThisJvmMayAlreadyRunAnywhere() throws Exception {
        assumeTrue(Files.isRegularFile(ONLINE), "needs Linux");
        final String online = Files.readString(ONLINE, StandardCharsets.US_ASCII).strip();
        assumeTrue(ownMask().equals(online), "this test JVM is itself pinned: " + ownMask());

        assertEquals("not pinned: this JVM and the JVMs it starts may run on CPUs " + online, AllCpus.widen());
        assertEquals(online, ownMask());
    }

    @Test
    void shouldReadResidentMemoryFromProc() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        final long pid = ProcessHandle.current().pid();
        final long rss = ProcStatus.bytes(pid, "VmRSS");
        final long anon = ProcStatus.bytes(pid, "RssAnon");

        assertTrue(rss > 1 << 20, "a JVM keeps more than 1 MiB resident: " + rss);
        assertTrue(anon > 0 && anon <= rss, "RssAnon is part of VmRSS: " + anon + " of " + rss);
        final IOException missing = assertThrows(IOException.class, () -> ProcStatus.bytes(pid, "NoSuchField"));
        assertEquals("no NoSuchField in /proc/" + pid + "/status", missing.getMessage());
    }

    private static String ownMask() throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).strip();
            }
        }
        throw new IOException("no Cpus_allowed_list in /proc/thread-self/status");
    }

    private static boolean onPath(final String name) {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
