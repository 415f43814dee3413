/**
 * Cross-process synchronisation: Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier (built in a later issue).
 */
package dev.mproc.sync;
