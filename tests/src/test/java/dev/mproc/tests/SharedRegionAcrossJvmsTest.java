package dev.mproc.tests;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One region mapped by two child JVMs at once: the atomics of {@link MappedRegion} must be atomic
 * across processes, and release/acquire publication must carry plain writes from one process to
 * another. Two children run the work (not parent and child) so that both mappings are fresh
 * attaches racing each other, with the parent only starting them together and checking.
 * In the claim test the children advance in lockstep (see {@link RegionChild}), so that both go for
 * every slot at nearly the same moment: without it one child runs ahead and they rarely collide,
 * and a non-atomic claim (read, then write) would pass; with it, that mistake double-claims slots.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(NoLeftoversExtension.class)
final class SharedRegionAcrossJvmsTest {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration WORK = Duration.ofSeconds(30);
    private static final int INCREMENTS = 200_000;
    private static final int SLOTS = 10_000;

    private Namespace namespace;

    @BeforeEach
    void createNamespace() {
        namespace = Namespace.createPrivate();
    }

    @AfterEach
    void closeNamespace() {
        namespace.close();
    }

    @Test
    void shouldCountExactlyAndSeeEachOthersWritesAcrossJvms() {
        try (MappedRegion region = namespace.createRegion("counter", TestRegions.KIND, TestRegions.VERSION, 4096, r -> { });
             ChildJvm a = startChild("count", 0, INCREMENTS);
             ChildJvm b = startChild("count", 1, INCREMENTS)) {
            a.awaitLine("READY", STARTUP);
            b.awaitLine("READY", STARTUP);
            // Release: the children acquire-read the flag; nothing else needs ordering here.
            region.putLongRelease(RegionChild.GO, 1);

            // Each child waited (acquire) for the other's stamp, then checked the payload behind it.
            assertEquals(RegionChild.stamp(1) + " true", a.awaitLine("SAW", WORK), a.describe("saw a wrong stamp or payload"));
            assertEquals(RegionChild.stamp(0) + " true", b.awaitLine("SAW", WORK), b.describe("saw a wrong stamp or payload"));
            a.awaitLine("DONE", WORK);
            b.awaitLine("DONE", WORK);
            assertEquals(0, a.waitFor(WORK), a.describe("failed"));
            assertEquals(0, b.waitFor(WORK), b.describe("failed"));

            // The children exited, so every increment has landed: no lost update across processes.
            assertEquals(2L * INCREMENTS, region.getLongVolatile(RegionChild.COUNTER));
            for (int id = 0; id < 2; id++) {
                assertEquals(RegionChild.stamp(id), region.getLongAcquire(RegionChild.slot(id)));
                for (int k = 0; k < RegionChild.PAYLOAD_LONGS; k++) {
                    assertEquals(RegionChild.payload(id, k), region.getLong(RegionChild.slot(id) + 8 + 8L * k),
                        "payload " + k + " of child " + id);
                }
            }
        }
    }

    @Test
    void shouldLetExactlyOneJvmClaimEachSlot() {
        final long bodyLength = RegionChild.CLAIMS + 4L * SLOTS;
        try (MappedRegion region = namespace.createRegion("claims", TestRegions.KIND, TestRegions.VERSION, bodyLength, r -> { });
             ChildJvm a = startChild("claim", 0, SLOTS);
             ChildJvm b = startChild("claim", 1, SLOTS)) {
            a.awaitLine("READY", STARTUP);
            b.awaitLine("READY", STARTUP);
            region.putLongRelease(RegionChild.GO, 1);

            final int claimedByA = Integer.parseInt(a.awaitLine("CLAIMED", WORK));
            final int claimedByB = Integer.parseInt(b.awaitLine("CLAIMED", WORK));
            assertEquals(0, a.waitFor(WORK), a.describe("failed"));
            assertEquals(0, b.waitFor(WORK), b.describe("failed"));

            // Two successful CASes on one slot would make the reported counts add up to more.
            assertEquals(SLOTS, claimedByA + claimedByB, "claims reported: a=" + claimedByA + " b=" + claimedByB);
            int ownedByA = 0;
            int ownedByB = 0;
            for (int s = 0; s < SLOTS; s++) {
                final int owner = region.getIntVolatile(RegionChild.CLAIMS + 4L * s);
                assertTrue(owner == 1 || owner == 2, "slot " + s + " holds " + owner);
                if (owner == 1) {
                    ownedByA++;
                } else {
                    ownedByB++;
                }
            }
            assertEquals(claimedByA, ownedByA, "slots holding child a's id");
            assertEquals(claimedByB, ownedByB, "slots holding child b's id");
        }
    }

    private ChildJvm startChild(final String mode, final int id, final int count) {
        return ChildJvm.start(RegionChild.class, mode, namespace.directory().toString(),
            mode.equals("count") ? "counter" : "claims", Integer.toString(id), Integer.toString(count));
    }
}
