/**
 * Cross-process queues, pipes, shared values and arrays, and shared memory (built in a later issue).
 */
package dev.mproc.ipc;
