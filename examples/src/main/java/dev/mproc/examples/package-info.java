/**
 * Runnable examples and the demo.
 */
package dev.mproc.examples;
