package dev.mproc.journal;

import dev.mproc.core.MappedRegion;
import dev.mproc.core.ProcessIdentity;

import static dev.mproc.journal.ConsumerLayout.ABANDONED;
import static dev.mproc.journal.ConsumerLayout.ABANDONED_SLOTS;
import static dev.mproc.journal.ConsumerLayout.FREE;
import static dev.mproc.journal.ConsumerLayout.LAST_CLAIMED;
import static dev.mproc.journal.ConsumerLayout.MAX_PENDING;
import static dev.mproc.journal.ConsumerLayout.NONE;
import static dev.mproc.journal.ConsumerLayout.OWNER;
import static dev.mproc.journal.ConsumerLayout.PENDING;
import static dev.mproc.journal.ConsumerLayout.PENDING_COUNT;
import static dev.mproc.journal.ConsumerLayout.SLOTS;

/**
 * One handle's view of a named consumer's state region ({@link ConsumerLayout}): its own slot and
 * the shared words. Every method must be called with the consumer's lock held; the lock's release
 * and acquire order the plain accesses here between processes. Writes that another holder could
 * meet half done (if this process dies between them) are ordered so that what remains is a
 * duplicate claim, never a lost one: an index is added to a slot before it is removed from another
 * or before the cursor moves past it.
 */
final class ConsumerState {
    private final MappedRegion region;
    private final long token;
    private final long mySlot;

    private ConsumerState(final MappedRegion region, final long token, final long mySlot) {
        this.region = region;
        this.token = token;
        this.mySlot = mySlot;
    }

    /**
     * Initial body of a new consumer: nothing claimed, every slot free. (A new region's body is
     * zero, and zero is {@link ConsumerLayout#FREE}; only the cursor needs writing.)
     *
     * @param region the region being created
     */
    static void initialise(final MappedRegion region) {
        region.putLong(LAST_CLAIMED, NONE);
    }

    /**
     * Takes a free slot for a new handle, after abandoning the slots of dead processes.
     *
     * @param region the consumer's region
     * @param name   the consumer name, for messages
     * @return the state of the new handle
     * @throws IllegalStateException if every slot is in use
     */
    static ConsumerState claimSlot(final MappedRegion region, final String name) {
        final long token = ProcessIdentity.current().token();
        abandonDeadOwners(region, -1);
        for (int slot = 0; slot < SLOTS; slot++) {
            final long at = ConsumerLayout.slot(slot);
            if (region.getLong(at + OWNER) == FREE) {
                region.putInt(at + PENDING_COUNT, 0);
                region.putLongRelease(at + OWNER, token);
                return new ConsumerState(region, token, at);
            }
        }
        throw new IllegalStateException("too many open handles of consumer " + name + ": slots=" + SLOTS
            + " (close handles you no longer use)");
    }

    /**
     * Marks the slots of processes that are no longer alive as abandoned (or free, if they had
     * nothing pending). Reads /proc for each occupied slot: not for every claim.
     */
    void abandonDeadOwners() {
        abandonDeadOwners(region, mySlot);
    }

    private static void abandonDeadOwners(final MappedRegion region, final long exceptSlot) {
        for (int slot = 0; slot < SLOTS; slot++) {
            final long at = ConsumerLayout.slot(slot);
            final long owner = region.getLong(at + OWNER);
            if (at == exceptSlot || owner == FREE || owner == ABANDONED || ProcessIdentity.isAlive(owner)) {
                continue;
            }
            if (region.getInt(at + PENDING_COUNT) > 0) {
                region.putInt(ABANDONED_SLOTS, region.getInt(ABANDONED_SLOTS) + 1);
                region.putLongRelease(at + OWNER, ABANDONED);
            } else {
                region.putLongRelease(at + OWNER, FREE);
            }
        }
    }

    /**
     * Repairs what a holder that died inside its critical section may have left: a cursor behind a
     * claimed index (moved past it) and a stale abandoned-slot count (recounted).
     */
    void repair() {
        repair(region);
    }

    /**
     * {@link #repair()} for a caller that holds no slot yet.
     *
     * @param region the consumer's region
     */
    static void repair(final MappedRegion region) {
        long lastClaimed = region.getLong(LAST_CLAIMED);
        int abandoned = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            final long at = ConsumerLayout.slot(slot);
            final long owner = region.getLong(at + OWNER);
            final int count = Math.clamp(region.getInt(at + PENDING_COUNT), 0, MAX_PENDING);
            region.putInt(at + PENDING_COUNT, count);
            for (int i = 0; i < count; i++) {
                lastClaimed = Math.max(lastClaimed, region.getLong(at + PENDING + 8L * i));
            }
            if (owner == ABANDONED) {
                abandoned++;
            }
        }
        region.putLong(LAST_CLAIMED, lastClaimed);
        region.putInt(ABANDONED_SLOTS, abandoned);
    }

    /** @return the index of the last message taken from the log by any handle, or {@link ConsumerLayout#NONE} */
    long lastClaimed() {
        return region.getLong(LAST_CLAIMED);
    }

    /** @return how many messages this handle has taken and not committed */
    int pendingCount() {
        return region.getInt(mySlot + PENDING_COUNT);
    }

    /**
     * Records a message newly taken from the log: pending in this slot first, then the cursor.
     *
     * @param index the message's index
     */
    void claimFromLog(final long index) {
        addPending(index);
        region.putLongRelease(LAST_CLAIMED, index);
    }

    /**
     * Moves the cursor past a message without claiming it (an excerpt that is not a message).
     *
     * @param index the excerpt's index
     */
    void skip(final long index) {
        region.putLongRelease(LAST_CLAIMED, index);
    }

    /**
     * Moves the lowest pending index of an abandoned slot into this handle's slot.
     *
     * @return that index, or {@link ConsumerLayout#NONE} if no slot is abandoned
     */
    long adoptOne() {
        if (region.getInt(ABANDONED_SLOTS) == 0) {
            return NONE;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            final long at = ConsumerLayout.slot(slot);
            if (region.getLong(at + OWNER) != ABANDONED) {
                continue;
            }
            final int count = region.getInt(at + PENDING_COUNT);
            if (count <= 0) {
                freeAbandoned(at);
                continue;
            }
            int lowest = 0;
            for (int i = 1; i < count; i++) {
                if (region.getLong(at + PENDING + 8L * i) < region.getLong(at + PENDING + 8L * lowest)) {
                    lowest = i;
                }
            }
            final long index = region.getLong(at + PENDING + 8L * lowest);
            addPending(index);
            region.putLong(at + PENDING + 8L * lowest, region.getLong(at + PENDING + 8L * (count - 1)));
            region.putIntRelease(at + PENDING_COUNT, count - 1);
            if (count == 1) {
                freeAbandoned(at);
            }
            return index;
        }
        // The count was stale (its writer died before correcting it): nothing is abandoned.
        region.putInt(ABANDONED_SLOTS, 0);
        return NONE;
    }

    private void freeAbandoned(final long at) {
        region.putLongRelease(at + OWNER, FREE);
        region.putInt(ABANDONED_SLOTS, Math.max(0, region.getInt(ABANDONED_SLOTS) - 1));
    }

    /**
     * Drops the most recent pending index of this handle (a claim whose message retention removed).
     */
    void dropLastPending() {
        region.putIntRelease(mySlot + PENDING_COUNT, pendingCount() - 1);
    }

    private void addPending(final long index) {
        final int count = pendingCount();
        region.putLong(mySlot + PENDING + 8L * count, index);
        region.putIntRelease(mySlot + PENDING_COUNT, count + 1);
    }

    /** Commits: this handle's taken messages are done and never delivered again. */
    void commit() {
        region.putIntRelease(mySlot + PENDING_COUNT, 0);
    }

    /**
     * Gives the slot up: free if nothing is pending, otherwise abandoned so that another handle
     * redelivers the pending messages.
     */
    void release() {
        if (region.getLong(mySlot + OWNER) != token) {
            return; // already abandoned by a scan that found this process dead (a recycled pid cannot match)
        }
        if (pendingCount() > 0) {
            region.putInt(ABANDONED_SLOTS, region.getInt(ABANDONED_SLOTS) + 1);
            region.putLongRelease(mySlot + OWNER, ABANDONED);
        } else {
            region.putLongRelease(mySlot + OWNER, FREE);
        }
    }

    /** Unmaps the region (this handle's mapping only). */
    void close() {
        region.close();
    }
}
