package dev.mproc.benchmarks.workloads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures of a live process from {@code /proc/<pid>/status} (Linux): {@code VmRSS}, what is
 * resident, and {@code RssAnon}, the part of it that is the process's own anonymous memory (heap,
 * metaspace, JIT code, thread stacks) rather than file pages (libjvm.so, the CDS archive) and
 * shared memory that other JVMs map too.
 */
final class ProcStatus {
    /** Bytes in the kB of {@code /proc}, which are KiB. */
    private static final long KIB = 1024;

    private ProcStatus() {
    }

    /**
     * @param pid   a live process
     * @param field a field of its status file, e.g. {@code VmRSS}
     * @return the field's value in bytes
     * @throws IOException if the process is gone or the field is missing
     */
    static long bytes(final long pid, final String field) throws IOException {
        final Path status = Path.of("/proc", Long.toString(pid), "status");
        final String prefix = field + ":";
        for (final String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
            if (line.startsWith(prefix)) {
                final String value = line.substring(prefix.length()).strip();
                if (!value.endsWith(" kB")) {
                    throw new IOException("unexpected unit in " + status + ": " + line);
                }
                return Long.parseLong(value.substring(0, value.length() - 3).strip()) * KIB;
            }
        }
        throw new IOException("no " + field + " in " + status);
    }
}
