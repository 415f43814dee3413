package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Event;
import dev.mproc.tests.ChildMain;
import dev.mproc.tests.TestRegions;

/**
 * Child program for {@link EventAcrossJvmsTest}.
 * <ul>
 *   <li>{@code EventChild <dir> wait}: prints {@code WAITING}, waits in {@link Event#await()},
 *   then prints {@code RELEASED <payload>} with the {@link #PAYLOAD} it reads plainly after the
 *   wait.</li>
 *   <li>{@code EventChild <dir> set}: prints {@code READY}; on the command {@code SET} writes
 *   {@link #VALUE} plainly at {@link #PAYLOAD}, sets the event, prints {@code SET}; on the command
 *   {@code PULSE} does the same and clears the event straight after the set.</li>
 * </ul>
 * Both exit 0.
 */
public final class EventChild {
    /** A long the setter writes plainly before {@code set()}: waiters must see it after {@code await()}. */
    public static final long PAYLOAD = 0;
    /** Body length of the data region. */
    public static final long LENGTH = 64;
    /** What the setter writes. */
    public static final long VALUE = 0x5E7_5E7_5E7L;

    private EventChild() {
    }

    /**
     * @param args namespace directory, role
     * @throws InterruptedException never: nothing interrupts the main thread
     */
    public static void main(final String[] args) throws InterruptedException {
        ChildMain.start();
        try (Namespace namespace = Namespace.attach(Path.of(args[0]));
             MappedRegion data = namespace.attachRegion("data", TestRegions.KIND, TestRegions.VERSION);
             Event event = Event.attach(namespace.pathOf("event"))) {
            switch (args[1]) {
                case "wait" -> {
                    ChildMain.say("WAITING");
                    event.await();
                    ChildMain.say("RELEASED " + data.getLong(PAYLOAD));
                }
                case "set" -> {
                    ChildMain.say("READY");
                    final String command = ChildMain.nextCommand();
                    data.putLong(PAYLOAD, VALUE);
                    event.set();
                    if (command.equals("PULSE")) {
                        event.clear();
                    }
                    ChildMain.say("SET");
                }
                default -> ChildMain.failAndExit("unknown role " + args[1]);
            }
        }
    }
}
