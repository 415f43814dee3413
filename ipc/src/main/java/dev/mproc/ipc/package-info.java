/**
 * Cross-process queues, pipes, shared values and arrays, and shared memory: Python's
 * {@code multiprocessing.Queue}, {@code JoinableQueue}, {@code SimpleQueue}, {@code Pipe},
 * {@code Value}, {@code Array} and {@code shared_memory.SharedMemory}, each a file in a
 * {@link dev.mproc.core.Namespace}.
 * <p>
 * Queues and pipes move records through a ring in the file ({@code ByteRingLayout}): each record
 * carries its own commit word, so a consumer never polls the producer's index, and the producer
 * reads the consumer's index only when its cached copy says the ring is full. Messages of any
 * size go through (larger ones in fragments), encoded with a {@link dev.mproc.core.Codec}.
 * Blocking calls spin, then sleep on a futex in the file.
 */
package dev.mproc.ipc;
