package dev.mproc.tests.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.ipc.Queue;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link LargeValueAcrossJvmsTest}: passes one value from one queue to another.
 * <p>
 * Usage: {@code RelayChild <fromQueueFile> <toQueueFile>}. Prints {@code READY}, takes one value
 * from the first queue, puts it into the second, prints {@code RELAYED <byte[] length>} and exits 0.
 */
public final class RelayChild {
    private RelayChild() {
    }

    /**
     * @param args the two queue files
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Queue<byte[]> from = Queue.attach(Path.of(args[0]));
             Queue<byte[]> to = Queue.attach(Path.of(args[1]))) {
            ChildMain.say("READY");
            final byte[] value = from.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                ChildMain.failAndExit("no value within " + ChildMain.PATIENCE.toSeconds() + " s");
            }
            to.put(value);
            ChildMain.say("RELAYED " + value.length);
        }
    }
}
