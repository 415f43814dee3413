package dev.mproc.tests;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.core.RegionException;

/**
 * Child program for {@link BadRegionFilesAcrossJvmsTest}: tries to attach to each named region of
 * a namespace and reports how each attempt ended, one line each:
 * {@code ATTACHED <name> <millis>}, {@code REFUSED <name> <exception> <millis> <message>} or
 * {@code UNEXPECTED <name> <throwable>}; then {@code FINISHED}.
 * <p>
 * Usage: {@code AttachProbeChild <dir> <region>...}. Run it with
 * {@code -Dmproc.attachTimeoutMillis} to bound the wait for files that never become ready.
 */
public final class AttachProbeChild {
    private AttachProbeChild() {
    }

    /**
     * @param args namespace directory, then region names
     */
    public static void main(final String[] args) {
        ChildMain.start();
        try (Namespace namespace = Namespace.attach(Path.of(args[0]))) {
            for (int i = 1; i < args.length; i++) {
                ChildMain.say(probe(namespace, args[i]));
            }
        }
        ChildMain.say("FINISHED");
    }

    private static String probe(final Namespace namespace, final String name) {
        final long start = System.nanoTime();
        try (MappedRegion region = namespace.attachRegion(name, TestRegions.KIND, TestRegions.VERSION)) {
            return "ATTACHED " + name + " " + millisSince(start) + " " + region.bodyLength();
        } catch (final RegionException e) {
            return "REFUSED " + name + " " + e.getClass().getSimpleName() + " " + millisSince(start) + " " + oneLine(e.getMessage());
        } catch (final RuntimeException | Error e) {
            // Anything else (an IndexOutOfBounds from reading a short header, an InternalError from
            // a fault in the mapping) is a bug: report it rather than die, so the parent can say so.
            return "UNEXPECTED " + name + " " + oneLine(e.toString());
        }
    }

    private static long millisSince(final long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String oneLine(final String text) {
        return String.valueOf(text).replace('\n', ' ').replace('\r', ' ');
    }
}
