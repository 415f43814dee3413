/**
 * Multi-JVM integration, fault-injection and stress tests; the code lives under src/test.
 */
package dev.mproc.tests;
