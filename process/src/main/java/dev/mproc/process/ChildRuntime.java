package dev.mproc.process;

import dev.mproc.core.DefaultCodec;
import dev.mproc.core.Futex;

import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a child JVM does, from reading its {@link ChildSpec} to {@code System.exit}.
 */
final class ChildRuntime {

    /** System property through which {@code Mproc.current()} finds the parent's namespace. */
    static final String NAMESPACE_PROPERTY = "mproc.child.namespace";

    /** How long exit may take after the parent died before the JVM is halted outright. */
    private static final long ORPHAN_EXIT_GRACE_MILLIS = 5_000;

    private ChildRuntime() {
    }

    /**
     * @param spareMarkers in a JVM started ahead of need, where to announce that it is warm (it
     *                     exercises the start-up path before the task arrives, so that the task
     *                     finds it warm); {@code null} in a child started for its task
     */
    static void run(final Path spareMarkers) {
        Path readyMarker = null;
        if (spareMarkers != null) {
            ChildWarmUp.spare();
            readyMarker = SpareJvms.readyMarker(spareMarkers, ProcessHandle.current().pid());
            try {
                // Not recreating the directory if it is gone: the parent is then exiting (its
                // namespaces removed), and a spare must not leave an empty root behind.
                Files.createFile(readyMarker);
            } catch (final IOException e) {
                readyMarker = null; // unready in the parent's eyes; still usable
            }
        } else {
            linkFutexInBackground();
        }
        // A channel, not the stream: a thread blocked reading a FileInputStream sits in native code,
        // and the JVM's exit waits up to 300 ms for such threads; a channel can be closed under
        // its reader, which the exit hook below does.
        final FileChannel lifeline = new FileInputStream(FileDescriptor.in).getChannel();
        final ChildSpec spec;
        try {
            try {
                spec = ChildSpec.readFrom(new DataInputStream(Channels.newInputStream(lifeline)));
            } finally {
                if (readyMarker != null) {
                    Files.deleteIfExists(readyMarker);
                }
            }
        } catch (final java.io.EOFException e) {
            // The parent died (or discarded this spare) before sending a task: nothing to do.
            System.exit(2);
            return;
        } catch (final IOException e) {
            // Someone ran this class by hand.
            System.err.println("mproc: child JVM " + ProcessHandle.current().pid() + " has no task: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The user's code must not read (and so consume or block on) the lifeline.
        System.setIn(InputStream.nullInputStream());
        if (!spec.namespace().isEmpty()) {
            System.setProperty(NAMESPACE_PROPERTY, spec.namespace());
        }
        Process.becomeChild(spec.name(), spec.identity(), spec.daemon());
        watchParent(lifeline, spec.name());

        int status;
        try {
            final Object task = DefaultCodec.instance().decode(spec.task());
            ((Runnable) task).run();
            status = 0;
        } catch (final Throwable failure) {
            report(spec, failure);
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Linking the futex system call (an FFM downcall, whose stub the JDK generates at run time) is
     * the largest single cost of a child's start-up, about 100 ms here, and nearly every task needs
     * it (any mproc object that waits or wakes). A second thread does it while the main thread
     * reads and deserialises the task, on another CPU when there is one.
     */
    private static void linkFutexInBackground() {
        final Thread linker = new Thread(() -> {
            try {
                Futex.system();
            } catch (final RuntimeException | LinkageError e) {
                // The first real use reports it.
            }
        }, "mproc-futex-link");
        linker.setDaemon(true);
        linker.start();
    }

    /**
     * Python prints the traceback of a child's uncaught exception to the child's stderr; so do we,
     * and the parent gets the exception itself through the failure file.
     */
    private static void report(final ChildSpec spec, final Throwable failure) {
        System.err.println("Process " + spec.name() + " (pid " + ProcessHandle.current().pid() + "):");
        failure.printStackTrace();
        final Path file = Path.of(spec.failureFile());
        final Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.write(partial, Failures.toBytes(failure));
            // Rename: the parent never reads a half-written report.
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException | RuntimeException e) {
            System.err.println("mproc: could not report the failure to the parent (" + file + "): " + e);
        }
    }

    /**
     * Blocks a daemon thread on the lifeline: the parent never writes after the spec and holds the
     * pipe open while it lives, so end of file (or an error) means the parent is gone. Exiting
     * then is what a parent killed by SIGKILL cannot arrange itself.
     */
    private static void watchParent(final FileChannel lifeline, final String name) {
        final Thread watcher = new Thread(() -> {
            final ByteBuffer sink = ByteBuffer.allocate(64);
            try {
                while (lifeline.read(sink.clear()) >= 0) {
                    // Nothing is ever sent after the spec; ignore anything that is.
                }
            } catch (final ClosedChannelException e) {
                return; // this JVM is exiting and closed it (see the hook below)
            } catch (final IOException e) {
                // A broken pipe means the same as end of file.
            }
            Process.markOrphaned();
            System.err.println("mproc: process " + name + " (pid " + ProcessHandle.current().pid()
                + ") is exiting: its parent process has gone");
            final Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(ORPHAN_EXIT_GRACE_MILLIS);
                } catch (final InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(1);
            }, "mproc-orphan-halt");
            halter.setDaemon(true);
            halter.start();
            System.exit(1);
        }, "mproc-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    lifeline.close();
                } catch (final IOException e) {
                    // Exiting anyway.
                }
            }, "mproc-lifeline-close"));
        } catch (final IllegalStateException e) {
            // Terminated while starting up: the JVM is already on its way out.
        }
    }
}
