module dev.mproc.process {
    requires transitive dev.mproc.core;
    requires transitive dev.mproc.sync;
    requires transitive dev.mproc.ipc;
    // exports dev.mproc.process; (added with the first public type)
}
