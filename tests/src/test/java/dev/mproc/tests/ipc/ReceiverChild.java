package dev.mproc.tests.ipc;

import java.io.EOFException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link BadInputAcrossJvmsTest}: receives values until {@link #END} and prints
 * each, so that the parent can check what arrived after its refused calls.
 * <ul>
 *   <li>{@code ReceiverChild queue <queueFile>}: prints {@code READY}, then takes values, printing
 *   {@code GOT <value>} for each, until it takes {@link #END}; exits 0.</li>
 *   <li>{@code ReceiverChild pipe <pipeFile>}: takes over the left (receive-only) end of a one-way
 *   pipe and tries to send on it, printing {@code SEND_REFUSED <exception class>} (or
 *   {@code SEND_REFUSED nothing} if the send went through); prints {@code READY}, then receives as
 *   above.</li>
 * </ul>
 */
public final class ReceiverChild {
    /** The last value the parent sends. */
    public static final String END = "END";

    private ReceiverChild() {
    }

    /**
     * @param args kind, file
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        final Path file = Path.of(args[1]);
        switch (args[0]) {
            case "queue" -> receiveFromQueue(file);
            case "pipe" -> receiveFromPipe(file);
            default -> ChildMain.failAndExit("unknown kind " + args[0]);
        }
    }

    private static void receiveFromQueue(final Path file) throws InterruptedException {
        try (Queue<Object> queue = Queue.attach(file)) {
            ChildMain.say("READY");
            while (true) {
                final Object value = queue.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                if (value == null) {
                    ChildMain.failAndExit("no value within " + ChildMain.PATIENCE.toSeconds() + " s");
                }
                ChildMain.say("GOT " + value);
                if (END.equals(value)) {
                    return;
                }
            }
        }
    }

    private static void receiveFromPipe(final Path file) throws InterruptedException {
        try (Connection end = Connection.attach(file, true)) {
            try {
                end.send("sent on the receive-only end");
                ChildMain.say("SEND_REFUSED nothing");
            } catch (final RuntimeException e) {
                ChildMain.say("SEND_REFUSED " + e.getClass().getName());
            }
            ChildMain.say("READY");
            while (true) {
                if (!end.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    ChildMain.failAndExit("no value within " + ChildMain.PATIENCE.toSeconds() + " s");
                }
                final Object value;
                try {
                    value = end.recv();
                } catch (final EOFException e) {
                    ChildMain.failAndExit("end-of-file before " + END);
                    return;
                }
                ChildMain.say("GOT " + value);
                if (END.equals(value)) {
                    return;
                }
            }
        }
    }
}
