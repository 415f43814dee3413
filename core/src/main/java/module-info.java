/**
 * mproc core: memory-mapped regions and their header protocol, namespaces and their cleanup,
 * the futex binding and waiting strategies, process identity, and codecs.
 */
module dev.mproc.core {
    requires transitive org.agrona;
    exports dev.mproc.core;
}
