package dev.mproc.tests;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

/**
 * Child program for {@link NamespaceLifecycleTest}: creates or joins a namespace and then ends in
 * the way the test wants to observe.
 * <ul>
 *   <li>{@code private-close}: creates a private namespace with a region, prints {@code DIR <dir>},
 *   on {@code CLOSE} closes it and prints {@code CLOSED}, then on {@code EXIT} returns.</li>
 *   <li>{@code private-abandon}: creates a private namespace with a region, prints {@code DIR <dir>},
 *   then on {@code EXIT} calls {@code System.exit(0)} without closing it; the test may instead
 *   kill or terminate it while it waits.</li>
 *   <li>{@code named-create <name> <value>}: creates region {@code value} in the named namespace,
 *   writes {@code value} at body offset 0, prints {@code DIR <dir>}, closes its handles and exits.</li>
 *   <li>{@code attach-write <dir>}: attaches to region {@code data} of that namespace, reads the long
 *   at 0, writes it plus one at 8, closes its handles, prints {@code READ <value>} and exits.</li>
 * </ul>
 */
public final class NamespaceChild {
    /** Name of the region the private modes create and {@code attach-write} joins. */
    public static final String DATA = "data";
    /** Value the private modes write at body offset 0. */
    public static final long WRITTEN = 0xC0FFEE;

    private NamespaceChild() {
    }

    /**
     * @param args mode and its arguments
     */
    public static void main(final String[] args) {
        ChildMain.start();
        switch (args[0]) {
            case "private-close" -> privateClose();
            case "private-abandon" -> privateAbandon();
            case "named-create" -> namedCreate(args[1], Long.parseLong(args[2]));
            case "attach-write" -> attachWrite(Path.of(args[1]));
            default -> ChildMain.failAndExit("unknown mode " + args[0]);
        }
    }

    private static void privateClose() {
        final Namespace namespace = Namespace.createPrivate();
        final MappedRegion region = namespace.createRegion(DATA, TestRegions.KIND, TestRegions.VERSION, 64, r -> r.putLong(0, WRITTEN));
        ChildMain.say("DIR " + namespace.directory());
        ChildMain.expectCommand("CLOSE");
        region.close();
        namespace.close();
        ChildMain.say("CLOSED");
        ChildMain.expectCommand("EXIT");
    }

    private static void privateAbandon() {
        final Namespace namespace = Namespace.createPrivate();
        namespace.createRegion(DATA, TestRegions.KIND, TestRegions.VERSION, 64, r -> r.putLong(0, WRITTEN));
        ChildMain.say("DIR " + namespace.directory());
        ChildMain.expectCommand("EXIT");
        // Deliberately no close: the shutdown hook must delete the namespace.
        System.exit(0);
    }

    private static void namedCreate(final String name, final long value) {
        try (Namespace namespace = Namespace.open(name);
             MappedRegion region = namespace.createRegion("value", TestRegions.KIND, TestRegions.VERSION, 64, r -> { })) {
            // Release: a reader in another process acquires it (after this process has even exited).
            region.putLongRelease(0, value);
            ChildMain.say("DIR " + namespace.directory());
        }
    }

    private static void attachWrite(final Path directory) {
        try (Namespace namespace = Namespace.attach(directory);
             MappedRegion region = namespace.attachRegion(DATA, TestRegions.KIND, TestRegions.VERSION)) {
            final long value = region.getLongAcquire(0);
            region.putLongRelease(8, value + 1);
            ChildMain.say("READ " + value);
        }
    }
}
