/**
 * mproc journal: {@link dev.mproc.journal.DurableQueue}, a durable, replayable queue shared by
 * processes, on Chronicle Queue, with named consumers whose committed positions persist
 * ({@link dev.mproc.journal.DurableConsumer}) and readers that replay
 * ({@link dev.mproc.journal.JournalReader}). An optional module: nothing else in mproc depends on
 * it, since Chronicle Queue needs the JVM options of {@link dev.mproc.journal.JournalJvmOptions}.
 */
package dev.mproc.journal;
