package dev.mproc.tests.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.mproc.ipc.JoinableQueue;
import dev.mproc.ipc.SharedInt;
import dev.mproc.tests.ChildMain;

/**
 * Child program for {@link JoinableQueueAcrossJvmsTest}: the worker of a joinable queue, which
 * holds back its last {@code taskDone()} until told.
 * <p>
 * Usage: {@code TaskWorkerChild <queueFile> <doneFile> <items>}. Prints {@code READY}, then takes
 * {@code items} values, checking they are {@code 0, 1, 2 ...}. For each it first adds one to the
 * shared int at {@code doneFile} ("about to call taskDone") and then calls {@code taskDone()};
 * before the last one it prints {@code HOLDING_LAST} and waits for the command {@code FINISH}.
 * Prints {@code FINISHED} and exits 0.
 */
public final class TaskWorkerChild {
    private TaskWorkerChild() {
    }

    /**
     * @param args queue file, counter file, number of items
     * @throws InterruptedException never: nobody interrupts the child
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        final int items = Integer.parseInt(args[2]);
        try (JoinableQueue<Integer> queue = JoinableQueue.attach(Path.of(args[0]));
             SharedInt done = SharedInt.attach(Path.of(args[1]))) {
            ChildMain.say("READY");
            for (int i = 0; i < items; i++) {
                final Integer value = queue.poll(ChildMain.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                if (value == null || value != i) {
                    ChildMain.failAndExit("expected item " + i + " but took " + value);
                }
                if (i == items - 1) {
                    ChildMain.say("HOLDING_LAST");
                    ChildMain.expectCommand("FINISH");
                }
                done.incrementAndGet();
                queue.taskDone();
            }
            ChildMain.say("FINISHED");
        }
    }
}
