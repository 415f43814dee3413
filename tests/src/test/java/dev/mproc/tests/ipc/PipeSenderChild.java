package dev.mproc.tests.ipc;

import java.nio.file.Path;

import dev.mproc.ipc.Connection;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link PipeEofAcrossJvmsTest}: the sending (right) end of a one-way pipe,
 * which sends {@value #MESSAGES} messages and then either closes its end or is killed.
 * <ul>
 *   <li>{@code PipeSenderChild close <pipeFile>}: sends {@code m0, m1, m2}, closes its end, prints
 *   {@code CLOSED}, then stays alive until the command {@code EXIT} (so that the receiver's
 *   end-of-file comes from the close, not from a dead process) and exits 0.</li>
 *   <li>{@code PipeSenderChild hold <pipeFile>}: sends {@code m0, m1, m2}, prints {@code SENT} and
 *   waits, never closing, until the parent kills it.</li>
 * </ul>
 */
public final class PipeSenderChild {
    /** Messages sent before closing or being killed. */
    public static final int MESSAGES = 3;

    private PipeSenderChild() {
    }

    /**
     * @param args mode, pipe file
     */
    public static void main(final String[] args) {
        ChildMain.start();
        final Connection end = Connection.attach(Path.of(args[1]), false);
        for (int i = 0; i < MESSAGES; i++) {
            end.send("m" + i);
        }
        switch (args[0]) {
            case "close" -> {
                end.close();
                ChildMain.say("CLOSED");
                ChildMain.expectCommand("EXIT");
            }
            case "hold" -> {
                ChildMain.say("SENT");
                // Until killed: SIGKILL runs no finally block, so the end is never closed.
                while (true) {
                    ChildMain.nextCommand();
                }
            }
            default -> ChildMain.failAndExit("unknown mode " + args[0]);
        }
    }
}
