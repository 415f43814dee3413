package dev.mproc.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionKind;

/**
 * Entry point of a child JVM running one side of a workload: attaches to the harness's namespace,
 * meets the other sides at the start barrier, runs {@link Workload#runSide}, then prints the
 * recorded figures on stdout and exits 0 (non-zero with a stack trace on stderr on failure).
 * <p>
 * Arguments are {@code key=value}: {@code workload, side, sides, namespace, warmups, runs,
 * iterations, smoke}. The child exits at once when its stdin reaches end-of-file, which happens
 * when the harness closes the pipe or dies, so no spinning child can outlive the suite.
 */
public final class SideMain {
    /** Kind of the harness's regions. */
    static final RegionKind KIND = RegionKind.of("BNCH");
    /** Layout version of the harness's regions (the data region's layout is the workload's). */
    static final int LAYOUT_VERSION = 1;
    /** The region holding the start barrier. */
    static final String CONTROL_REGION = "control";
    /** The region the workload works on. */
    static final String DATA_REGION = "data";
    /** Body length of the control region. */
    static final long CONTROL_BYTES = 4096;
    /** Control region offset of the count of sides that arrived at the start barrier. */
    static final long ARRIVALS_OFFSET = 0;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private SideMain() {
    }

    /**
     * @param args {@code key=value} settings, see the class comment
     */
    public static void main(final String[] args) {
        exitWhenStdinCloses();
        int status;
        try {
            run(parse(args));
            status = 0;
        } catch (final Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static void run(final Map<String, String> settings) throws Exception {
        final Workload workload = Workloads.byName(required(settings, "workload"));
        final int side = Integer.parseInt(required(settings, "side"));
        final int sides = Integer.parseInt(required(settings, "sides"));
        final Namespace namespace = Namespace.attach(Path.of(required(settings, "namespace")));
        try (MappedRegion control = namespace.attachRegion(CONTROL_REGION, KIND, LAYOUT_VERSION);
             MappedRegion data = namespace.attachRegion(DATA_REGION, KIND, LAYOUT_VERSION)) {
            final SideContext context = new SideContext(
                side,
                sides,
                Integer.parseInt(required(settings, "warmups")),
                Integer.parseInt(required(settings, "runs")),
                Long.parseLong(required(settings, "iterations")),
                Boolean.parseBoolean(required(settings, "smoke")),
                data,
                namespace);
            arrive(control, sides);
            workload.runSide(context);
            context.flush(System.out);
        } finally {
            namespace.close(); // attached, not owned: deletes nothing
        }
    }

    /**
     * Start barrier: every side counts itself in, then waits for the others, so that no side
     * measures while another JVM is still starting.
     */
    private static void arrive(final MappedRegion control, final int sides) {
        control.getAndAddLong(ARRIVALS_OFFSET, 1);
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (control.getLongAcquire(ARRIVALS_OFFSET) < sides) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the other sides did not start within " + START_TIMEOUT.toSeconds()
                    + " s: arrived=" + control.getLongAcquire(ARRIVALS_OFFSET) + " sides=" + sides);
            }
            // Waiting for a JVM to start takes hundreds of milliseconds: no need to burn the CPU.
            LockSupport.parkNanos(50_000);
        }
    }

    /** A daemon thread blocked on stdin: costs nothing until the harness goes, then ends this JVM. */
    private static void exitWhenStdinCloses() {
        Thread.ofPlatform().daemon().name("exit-on-stdin-eof").start(() -> {
            final InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // The harness sends nothing; any input is ignored.
                }
            } catch (final IOException e) {
                // Treated as end-of-file.
            }
            Runtime.getRuntime().halt(3);
        });
    }

    private static Map<String, String> parse(final String[] args) {
        final Map<String, String> settings = new HashMap<>();
        for (final String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return settings;
    }

    private static String required(final Map<String, String> settings, final String key) {
        final String value = settings.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...; got " + settings);
        }
        return value;
    }
}
