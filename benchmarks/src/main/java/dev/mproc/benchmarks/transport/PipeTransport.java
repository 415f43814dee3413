package dev.mproc.benchmarks.transport;

import dev.mproc.benchmarks.SideContext;
import dev.mproc.ipc.Connection;
import dev.mproc.ipc.Pipe;

/**
 * mproc's one-way {@link Pipe} with its defaults (256 KiB ring, larger messages sent in
 * fragments while the receiver takes them, the default wait strategy): {@code sendBytes} and
 * {@code recvBytesInto}. Each side closes only the end it uses: closing an end marks it closed
 * for every process.
 */
public final class PipeTransport implements Transport {
    @Override
    public String id() {
        return "pipe";
    }

    @Override
    public String label() {
        return "mproc Pipe";
    }

    @Override
    public String peerSource() {
        return null;
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes) {
        final Connection out = Pipe.builder().duplex(false).create(context.namespace(), channel).right();
        return new MessageSender() {
            @Override
            public void send(final byte[] message, final int length) {
                out.sendBytes(message, 0, length);
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes) {
        final Connection in = Pipe.builder().duplex(false).create(context.namespace(), channel).left();
        return new MessageReceiver() {
            @Override
            public int receive(final byte[] buffer) throws Exception {
                return in.recvBytesInto(buffer);
            }

            @Override
            public int poll(final byte[] buffer) throws Exception {
                return in.poll() ? in.recvBytesInto(buffer) : -1;
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
