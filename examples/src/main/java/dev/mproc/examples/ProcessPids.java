package dev.mproc.examples;

import dev.mproc.Mproc;
import dev.mproc.process.Process;

/**
 * Every process has its own process id; a finished process is no longer alive.
 *
 * <p>The Python original prints {@code os.getpid()} in the main program, starts two processes
 * whose targets ({@code worker1}, {@code worker2}) each print their own {@code os.getpid()}, prints
 * {@code p1.pid} and {@code p2.pid} as the parent sees them, joins both, says so, and prints
 * {@code p1.is_alive()} and {@code p2.is_alive()}: both false. The pid a worker reports for itself
 * is the one the parent holds for it, and differs from the parent's own.
 */
public final class ProcessPids {

    private ProcessPids() {
    }

    /** Python's {@code worker1}. */
    static void worker1() {
        System.out.println("ID of process running worker1: " + ProcessHandle.current().pid());
    }

    /** Python's {@code worker2}. */
    static void worker2() {
        System.out.println("ID of process running worker2: " + ProcessHandle.current().pid());
    }

    /**
     * Prints the three pids (the workers' lines in either order), then that both ended.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining the children
     */
    public static void main(final String[] args) throws InterruptedException {
        try (Mproc mp = Mproc.create()) {
            System.out.println("ID of main process: " + ProcessHandle.current().pid());
            final Process p1 = mp.process(ProcessPids::worker1);
            final Process p2 = mp.process(ProcessPids::worker2);
            p1.start();
            p2.start();
            System.out.println("ID of process p1: " + p1.pid());
            System.out.println("ID of process p2: " + p2.pid());
            p1.join();
            p2.join();
            System.out.println("Both processes finished execution!");
            System.out.println("Process p1 is alive: " + p1.isAlive());
            System.out.println("Process p2 is alive: " + p2.isAlive());
        }
    }
}
