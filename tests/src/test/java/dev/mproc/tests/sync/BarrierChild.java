package dev.mproc.tests.sync;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import dev.mproc.sync.Barrier;
import dev.mproc.tests.ChildMain;
import dev.mproc.tests.TestRegions;

/**
 * Child program for {@link BarrierAcrossJvmsTest}: one party of a cross-process barrier, going
 * through many generations.
 * <p>
 * Usage: {@code BarrierChild <dir> <party> <generations>}. In generation {@code g} the party
 * writes {@code g} plainly into its own {@link #stamp(int) stamp}, awaits the barrier, records
 * the arrival index it got at {@link #index(int, int)}, and reads the other parties' stamps
 * plainly: each must be {@code g} or {@code g + 1} (a party can be one generation ahead, never
 * two, since that would need this party's next arrival). An older value is a write that the
 * barrier failed to make visible. Prints {@code READY} first, then {@code DONE <stale reads>
 * <first stale read or "-">}, and exits 0.
 */
public final class BarrierChild {
    /** The parties. */
    public static final int PARTIES = 3;
    /** The start flag (long), release-stored by the parent. */
    public static final long GO = 0;
    /** Party {@code p}'s stamp is the long at {@code STAMPS + 64 * p}: a cache line each. */
    public static final long STAMPS = 64;
    /** Arrival indices, an int per (generation, party). */
    public static final long INDICES = STAMPS + 64L * PARTIES;

    private BarrierChild() {
    }

    /**
     * @param party a party
     * @return the offset of its stamp
     */
    public static long stamp(final int party) {
        return STAMPS + 64L * party;
    }

    /**
     * @param generation a generation
     * @param party      a party
     * @return the offset of the arrival index that party got in that generation
     */
    public static long index(final int generation, final int party) {
        return INDICES + 4L * (generation * PARTIES + party);
    }

    /**
     * @param generations generations to go through
     * @return the body length of the data region
     */
    public static long length(final int generations) {
        return index(generations, 0);
    }

    /**
     * @param args namespace directory, party, generations
     * @throws Exception if the barrier breaks: a failure the parent sees in the output
     */
    public static void main(final String[] args) throws Exception {
        ChildMain.start();
        final int party = Integer.parseInt(args[1]);
        final int generations = Integer.parseInt(args[2]);
        try (Namespace namespace = Namespace.attach(Path.of(args[0]));
             MappedRegion data = namespace.attachRegion("data", TestRegions.KIND, TestRegions.VERSION);
             Barrier barrier = Barrier.attach(namespace.pathOf("barrier"))) {
            ChildMain.say("READY");
            ChildMain.pollUntil("the start flag", () -> data.getLongAcquire(GO) != 0);
            int stale = 0;
            String firstStale = "-";
            for (int g = 0; g < generations; g++) {
                data.putLong(stamp(party), g);
                final int arrival = barrier.await();
                data.putInt(index(g, party), arrival);
                for (int other = 0; other < PARTIES; other++) {
                    final long seen = data.getLong(stamp(other));
                    if (other != party && seen != g && seen != g + 1) {
                        if (stale++ == 0) {
                            firstStale = "generation=" + g + ",party=" + other + ",seen=" + seen;
                        }
                    }
                }
            }
            ChildMain.say("DONE " + stale + " " + firstStale);
        }
    }
}
