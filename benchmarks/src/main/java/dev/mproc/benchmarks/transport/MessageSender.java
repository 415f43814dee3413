package dev.mproc.benchmarks.transport;

/** The sending end of a {@link Transport} channel; used by one thread. */
public interface MessageSender extends AutoCloseable {

    /**
     * Sends {@code message[0, length)}, waiting while the channel is full. The array may be
     * reused as soon as this returns.
     *
     * @param message the bytes
     * @param length  how many, at most the channel's maximum message size
     * @throws Exception if the channel broke
     */
    void send(byte[] message, int length) throws Exception;

    /**
     * Pushes out what a buffering transport holds back (a socket writer's batch); ring transports
     * have nothing to do. Called after the last message of a burst or run, and after every message
     * where latency is measured.
     *
     * @throws Exception if the channel broke
     */
    default void flush() throws Exception {
    }

    @Override
    void close() throws Exception;
}
