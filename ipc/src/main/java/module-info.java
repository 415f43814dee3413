module dev.mproc.ipc {
    requires transitive dev.mproc.core;
    requires transitive dev.mproc.sync;
    exports dev.mproc.ipc;
}
