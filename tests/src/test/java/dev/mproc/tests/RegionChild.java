package dev.mproc.tests;

import java.nio.file.Path;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;

/**
 * Child program for {@link SharedRegionAcrossJvmsTest}: attaches to the parent's region and
 * hammers it with atomics while another child does the same.
 * <p>
 * Usage: {@code RegionChild count <dir> <region> <id 0|1> <increments>} or
 * {@code RegionChild claim <dir> <region> <id 0|1> <slots>}. Prints {@code READY}, waits for the
 * parent's start flag, works, reports, exits 0.
 */
public final class RegionChild {
    /** Counter mode: the shared counter (long). */
    public static final long COUNTER = 0;
    /** Both modes: the start flag (long), set by the parent once both children are ready. */
    public static final long GO = 64;
    /** Counter mode: child {@code id}'s slot starts at {@code SLOTS + id * SLOT_LENGTH}. */
    public static final long SLOTS = 128;
    /** A slot: a stamp (long, release-published) then {@link #PAYLOAD_LONGS} longs of payload. */
    public static final long SLOT_LENGTH = 128;
    /** Payload longs per slot, written plainly before the stamp. */
    public static final int PAYLOAD_LONGS = 8;
    /** Claim mode: child {@code id}'s progress (long: slots attempted) is at {@code PROGRESS + 64 * id}. */
    public static final long PROGRESS = 128;
    /** Claim mode: claim slot {@code s} is the int at {@code CLAIMS + 4 * s}. */
    public static final long CLAIMS = 256;

    private RegionChild() {
    }

    /**
     * @param id a child id
     * @return the offset of that child's slot
     */
    public static long slot(final int id) {
        return SLOTS + id * SLOT_LENGTH;
    }

    /**
     * @param id a child id
     * @return the non-zero stamp that child publishes in its slot
     */
    public static long stamp(final int id) {
        return 0x5EED_0000_0000L + id + 1;
    }

    /**
     * @param id a child id
     * @param k  payload index
     * @return what that child writes at payload index {@code k}
     */
    public static long payload(final int id, final int k) {
        return ((long) (id + 1) << 40) ^ (k * 0x9E37_79B9L);
    }

    /**
     * @param args mode, namespace directory, region name, child id, count
     */
    public static void main(final String[] args) {
        ChildMain.start();
        final String mode = args[0];
        final int id = Integer.parseInt(args[3]);
        final int count = Integer.parseInt(args[4]);
        try (Namespace namespace = Namespace.attach(Path.of(args[1]));
             MappedRegion region = namespace.attachRegion(args[2], TestRegions.KIND, TestRegions.VERSION)) {
            ChildMain.say("READY");
            // Acquire: pairs with the parent's release store of the flag.
            ChildMain.pollUntil("the start flag", () -> region.getLongAcquire(GO) != 0);
            switch (mode) {
                case "count" -> count(region, id, count);
                case "claim" -> claim(region, id, count);
                default -> ChildMain.failAndExit("unknown mode " + mode);
            }
        }
    }

    private static void count(final MappedRegion region, final int id, final int increments) {
        final long mine = slot(id);
        for (int i = 0; i < increments; i++) {
            region.getAndAddLong(COUNTER, 1);
            if (i == increments / 2) {
                // Publish half-way, while the other child is hammering the counter line.
                for (int k = 0; k < PAYLOAD_LONGS; k++) {
                    region.putLong(mine + 8 + 8L * k, payload(id, k));
                }
                // Release: the plain payload writes above become visible no later than the stamp.
                region.putLongRelease(mine, stamp(id));
            }
        }
        final int other = 1 - id;
        final long theirs = slot(other);
        ChildMain.pollUntil("child " + other + "'s stamp", () -> region.getLongAcquire(theirs) != 0);
        final long stamp = region.getLongAcquire(theirs);
        boolean payloadSeen = true;
        for (int k = 0; k < PAYLOAD_LONGS; k++) {
            // Plain reads suffice after the acquire read of the stamp.
            payloadSeen &= region.getLong(theirs + 8 + 8L * k) == payload(other, k);
        }
        ChildMain.say("SAW " + stamp + " " + payloadSeen);
        ChildMain.say("DONE " + increments);
    }

    private static void claim(final MappedRegion region, final int id, final int slots) {
        final long mine = PROGRESS + 64L * id;
        final long theirs = PROGRESS + 64L * (1 - id);
        int claimed = 0;
        for (int s = 0; s < slots; s++) {
            // Lockstep: attempt slot s only once the other child has attempted s - 1, so that both
            // go for every slot at nearly the same moment. Sweeping freely, one child would soon run
            // ahead and the two would rarely meet on a slot at all.
            final long previous = s;
            ChildMain.pollUntil("the other child to reach slot " + s, () -> region.getLongAcquire(theirs) >= previous);
            if (region.compareAndSetInt(CLAIMS + 4L * s, 0, id + 1)) {
                claimed++;
            }
            // Release: our attempt on s is done before the other may move past s + 1.
            region.putLongRelease(mine, s + 1);
        }
        ChildMain.say("CLAIMED " + claimed);
    }
}
