module dev.mproc.sync {
    requires transitive dev.mproc.core;
    exports dev.mproc.sync;
}
