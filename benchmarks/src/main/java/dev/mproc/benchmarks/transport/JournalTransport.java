package dev.mproc.benchmarks.transport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.mproc.benchmarks.SideContext;
import dev.mproc.journal.DurableQueue;
import dev.mproc.journal.JournalJvmOptions;
import dev.mproc.journal.JournalReader;

/**
 * mproc's durable queue (module {@code journal}): {@link DurableQueue#append} of a {@code byte[]}
 * (through the default codec) in one JVM, a {@link JournalReader} (a tailer: no committed
 * position) taking them in the other. Set beside {@link ChronicleTransport}, raw Chronicle Queue
 * with one excerpt per message, it shows what the wrapper costs: the codec, the tag byte, the
 * copy through its scratch array, and a decoded array per message on the reading side.
 * <p>
 * Each channel is a journal directory {@code journal-<channel>} inside the workload's namespace
 * directory (a journal refuses a directory holding other files). The sides' JVMs get
 * {@link JournalJvmOptions#REQUIRED}.
 */
public final class JournalTransport implements Transport {
    @Override
    public String id() {
        return "journal";
    }

    @Override
    public String label() {
        return "mproc DurableQueue";
    }

    @Override
    public String peerSource() {
        return null;
    }

    @Override
    public List<String> jvmOptions() {
        return JournalJvmOptions.REQUIRED;
    }

    private static Path directoryOf(final SideContext context, final String channel) {
        return context.namespace().directory().resolve("journal-" + channel);
    }

    @Override
    public MessageSender openSender(final SideContext context, final String channel, final int maxMessageBytes) {
        final DurableQueue<Object> queue = DurableQueue.open(directoryOf(context, channel));
        return new MessageSender() {
            @Override
            public void send(final byte[] message, final int length) {
                queue.append(length == message.length ? message : Arrays.copyOf(message, length));
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }

    @Override
    public MessageReceiver openReceiver(final SideContext context, final String channel, final int maxMessageBytes) {
        final DurableQueue<Object> queue = DurableQueue.open(directoryOf(context, channel));
        final JournalReader<Object> reader = queue.reader();
        return new MessageReceiver() {
            @Override
            public int receive(final byte[] buffer) throws InterruptedException {
                return copy((byte[]) reader.take(), buffer);
            }

            @Override
            public int poll(final byte[] buffer) {
                final byte[] message = (byte[]) reader.poll();
                return message == null ? -1 : copy(message, buffer);
            }

            @Override
            public void close() {
                reader.close();
                queue.close();
            }
        };
    }

    private static int copy(final byte[] message, final byte[] buffer) {
        System.arraycopy(message, 0, buffer, 0, message.length);
        return message.length;
    }
}
