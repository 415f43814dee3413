package dev.mproc.benchmarks.transport;

/** The receiving end of a {@link Transport} channel; used by one thread. */
public interface MessageReceiver extends AutoCloseable {

    /**
     * Receives the next message, waiting for it (in the transport's own way: its default blocking
     * call, or a spin for the rings that have none).
     *
     * @param buffer where to copy it; at least the channel's maximum message size
     * @return its length
     * @throws Exception if the channel broke or the sender closed
     */
    int receive(byte[] buffer) throws Exception;

    /**
     * Receives the next message if one is there, without waiting.
     *
     * @param buffer where to copy it
     * @return its length, or -1 if none is waiting
     * @throws Exception if the channel broke
     */
    int poll(byte[] buffer) throws Exception;

    @Override
    void close() throws Exception;
}
