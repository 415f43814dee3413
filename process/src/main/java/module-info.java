/**
 * mproc process: the {@code Mproc} facade, {@code Process} (a task in a fresh JVM) and
 * {@code Pool} (worker JVMs behind an {@code ExecutorService}).
 */
module dev.mproc.process {
    requires transitive dev.mproc.core;
    requires transitive dev.mproc.sync;
    requires transitive dev.mproc.ipc;
    // The JVM options a child inherits are read from the RuntimeMXBean.
    requires java.management;
    // Libraries on the path that need JVM options in every child (the journal's Chronicle flags).
    uses dev.mproc.core.ChildJvmOptions;
    exports dev.mproc;
    exports dev.mproc.process;
}
