/**
 * jcstress tests: each maps one file twice, modelling two processes.
 */
package dev.mproc.jcstress;
