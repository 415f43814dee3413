package dev.mproc.tests.ipc;

import java.io.EOFException;
import java.nio.file.Path;

import dev.mproc.ipc.Connection;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link PipeEchoAcrossJvmsTest}: sends back every message it receives.
 * <p>
 * Usage: {@code EchoChild <pipeFile>}. Takes over the right end of the duplex pipe, prints
 * {@code READY}, echoes each value it receives, unchanged and in order, until the left end is
 * closed ({@link EOFException}), then prints {@code ECHOED <count>} and exits 0.
 */
public final class EchoChild {
    private EchoChild() {
    }

    /**
     * @param args the pipe file
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Connection end = Connection.attach(Path.of(args[0]), false)) {
            ChildMain.say("READY");
            long echoed = 0;
            while (true) {
                final Object value;
                try {
                    value = end.recv();
                } catch (final EOFException e) {
                    break;
                }
                end.send(value);
                echoed++;
            }
            ChildMain.say("ECHOED " + echoed);
        }
    }
}
