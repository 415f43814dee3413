package dev.mproc.journal;

/**
 * What a journal holds at one moment.
 *
 * @param count      how many messages are stored (after retention dropped any)
 * @param firstIndex the index of the first stored message, or -1 when there is none
 * @param lastIndex  the index of the last stored message, or -1 when there is none
 * @param cycleFiles how many cycle files (one per UTC day written) the directory holds
 */
public record JournalInfo(long count, long firstIndex, long lastIndex, int cycleFiles) {
}
