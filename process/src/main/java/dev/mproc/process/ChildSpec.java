package dev.mproc.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What a parent tells a child JVM, written to the child's standard input before anything else.
 * Standard input, not the command line: the task may be large, and {@code ps} shows arguments.
 * The pipe then stays open as the child's lifeline: end of input means the parent is gone.
 *
 * <pre>
 *   int    MAGIC
 *   UTF    name            Python's process name, "Process-1" unless the user chose one
 *   UTF    identity        "1", "1:2" ... the position in the tree, for naming grandchildren
 *   UTF    namespace       directory of the parent's namespace ("" if none)
 *   UTF    failureFile     where the child writes its uncaught exception
 *   bool   daemon
 *   int    taskLength, then the task encoded by the DefaultCodec
 * </pre>
 *
 * @param name        the child's name
 * @param identity    the child's position in the process tree
 * @param namespace   the namespace directory {@code Mproc.current()} attaches to in the child
 * @param failureFile where the child reports an uncaught exception
 * @param daemon      whether the child is a daemon
 * @param task        the encoded {@code SerializableRunnable}
 */
record ChildSpec(String name, String identity, String namespace, String failureFile, boolean daemon, byte[] task) {

    private static final int MAGIC = 0x6d70_6331; // "mpc1"
    /** A task larger than this is refused by the reader rather than allocated. */
    private static final int MAX_TASK_BYTES = 1 << 30;

    void writeTo(final DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeUTF(name);
        out.writeUTF(identity);
        out.writeUTF(namespace);
        out.writeUTF(failureFile);
        out.writeBoolean(daemon);
        out.writeInt(task.length);
        out.write(task);
        out.flush();
    }

    static ChildSpec readFrom(final DataInputStream in) throws IOException {
        final int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("standard input does not start with an mproc child specification (magic "
                + Integer.toHexString(magic) + "): this class is started by dev.mproc.process.Process, not by hand");
        }
        final String name = in.readUTF();
        final String identity = in.readUTF();
        final String namespace = in.readUTF();
        final String failureFile = in.readUTF();
        final boolean daemon = in.readBoolean();
        final int length = in.readInt();
        if (length < 0 || length > MAX_TASK_BYTES) {
            throw new IOException("task length " + length + " out of range [0, " + MAX_TASK_BYTES + "]");
        }
        final byte[] task = new byte[length];
        in.readFully(task);
        return new ChildSpec(name, identity, namespace, failureFile, daemon, task);
    }
}
