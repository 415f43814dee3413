package dev.mproc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Facts about the machine and its load that the report records beside the figures, because on a
 * shared VM a figure means little without them: CPUs, CPU model, kernel, JDK, clock source, the
 * cost of {@code System.nanoTime()}, load average and how busy the CPUs were.
 */
final class MachineInfo {
    private MachineInfo() {
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String cpuModel() {
        return readLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .findFirst().orElse(System.getProperty("os.arch"));
    }

    static String kernel() {
        return System.getProperty("os.name") + " " + readFirstLine(Path.of("/proc/sys/kernel/osrelease"))
            .orElse(System.getProperty("os.version"));
    }

    static String jdk() {
        return Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
            + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")";
    }

    static String clockSource() {
        return readFirstLine(Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource"))
            .orElse("unknown");
    }

    static String loadAverage() {
        return readFirstLine(Path.of("/proc/loadavg")).map(l -> {
            final String[] parts = l.split("\\s+");
            return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : l;
        }).orElse("unknown");
    }

    /**
     * @return the average cost of one {@code System.nanoTime()} call in this JVM, in ns: the
     *         overhead inside every timed round trip
     */
    static double nanoTimeCost() {
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += System.nanoTime();
        }
        final int n = 5_000_000;
        final long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += System.nanoTime();
        }
        final long t1 = System.nanoTime();
        if (sink == 42) {
            System.out.print("");
        }
        return (t1 - t0) / (double) n;
    }

    /**
     * @return (busy, total) jiffies over all CPUs from /proc/stat, or null where unavailable
     */
    static long[] cpuJiffies() {
        final List<String> lines = readLines(Path.of("/proc/stat"));
        if (lines.isEmpty() || !lines.get(0).startsWith("cpu ")) {
            return null;
        }
        final String[] parts = lines.get(0).strip().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(parts.length, 9); i++) {
            final long v = Long.parseLong(parts[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v; // idle, iowait
            }
        }
        return new long[] {total - idle, total};
    }

    /**
     * @param before jiffies at the start
     * @param after  jiffies at the end
     * @return the busy percentage between the two samples, or "unknown"
     */
    static String busyPercent(final long[] before, final long[] after) {
        if (before == null || after == null || after[1] <= before[1]) {
            return "unknown";
        }
        return String.format(Locale.ROOT, "%.0f %%", 100.0 * (after[0] - before[0]) / (after[1] - before[1]));
    }

    /**
     * @return how many java processes other than this one and its children are running: other
     *         engineers' builds on this shared machine
     */
    static long otherJvms() {
        final ProcessHandle me = ProcessHandle.current();
        return ProcessHandle.allProcesses()
            .filter(p -> p.pid() != me.pid())
            .filter(p -> p.parent().map(parent -> parent.pid() != me.pid()).orElse(true))
            .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
            .count();
    }

    private static Optional<String> readFirstLine(final Path file) {
        final List<String> lines = readLines(file);
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).strip());
    }

    private static List<String> readLines(final Path file) {
        try {
            return Files.readAllLines(file);
        } catch (final IOException | RuntimeException e) {
            return List.of();
        }
    }
}
