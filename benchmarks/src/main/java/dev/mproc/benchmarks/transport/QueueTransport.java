package dev.mproc.benchmarks.transport;

import java.util.Arrays;

import dev.mproc.benchmarks.SideContext;
import dev.mproc.ipc.Queue;

/**
 * mproc's {@link Queue} of {@code byte[]} with its defaults: any number of processes put, one
 * takes. A received value is a new array (the queue decodes each value, as its callers get it),
 * copied into the caller's buffer.
 */
public final class QueueTransport implements Transport {
    @Override
    public String id() {
        return "queue";
    }

    @Override
    public String label() {
        return "mproc Queue";
    }

    @Override
    public String peerSource() {
        return null;
    }

    @Override
    public boolean manyToOne() {
        return true;
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes) {
        final Queue<byte[]> queue = Queue.create(context.namespace(), channel);
        return new MessageSender() {
            @Override
            public void send(final byte[] message, final int length) throws InterruptedException {
                queue.put(length == message.length ? message : Arrays.copyOf(message, length));
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes) {
        final Queue<byte[]> queue = Queue.create(context.namespace(), channel);
        return new MessageReceiver() {
            @Override
            public int receive(final byte[] buffer) throws InterruptedException {
                return copy(queue.take(), buffer);
            }

            @Override
            public int poll(final byte[] buffer) {
                final byte[] message = queue.poll();
                return message == null ? -1 : copy(message, buffer);
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    private static int copy(final byte[] message, final byte[] buffer) {
        System.arraycopy(message, 0, buffer, 0, message.length);
        return message.length;
    }
}
