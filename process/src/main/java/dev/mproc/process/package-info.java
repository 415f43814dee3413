/**
 * The process layer: Process and Pool (built in a later issue).
 */
package dev.mproc.process;
