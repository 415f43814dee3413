package dev.mproc.benchmarks.transport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM with {@link ChronicleTransport#jvmOptions()} by {@link ChronicleTransportTest}
 * (the test JVM lacks Chronicle's flags): opens a channel's receiver before its queue exists, then
 * its sender, and checks that every length round-trips exactly with its bytes, that an empty
 * channel polls -1, that lengths Chronicle cannot hold are refused, and that an excerpt too large
 * for the caller's buffer stays in place. Prints {@code ok <messages>} and exits 0, or throws.
 */
public final class ChronicleRoundTripCheck {
    static final int MAX_MESSAGE_BYTES = 1 << 20;
    static final int[] LENGTHS = {1, 2, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 4095, 4096, 4097,
        MAX_MESSAGE_BYTES - 1, MAX_MESSAGE_BYTES};
    static final String CHANNEL = "check";

    private ChronicleRoundTripCheck() {
    }

    /**
     * @param args the directory to create the channel in
     * @throws Exception if a check fails
     */
    public static void main(final String[] args) throws Exception {
        final Path parent = Path.of(args[0]);
        final byte[] message = new byte[MAX_MESSAGE_BYTES];
        final byte[] buffer = new byte[MAX_MESSAGE_BYTES];
        try (MessageReceiver in = ChronicleTransport.receiver(parent, CHANNEL, MAX_MESSAGE_BYTES)) {
            require(in.poll(buffer) == -1, "a channel nobody has written to polled a message");
            try (MessageSender out = ChronicleTransport.sender(parent, CHANNEL, MAX_MESSAGE_BYTES)) {
                for (int i = 0; i < LENGTHS.length; i++) {
                    fill(message, LENGTHS[i], i);
                    out.send(message, LENGTHS[i]);
                }
                refused(out, message, 0);
                refused(out, message, MAX_MESSAGE_BYTES + 1);
                for (int i = 0; i < LENGTHS.length; i++) {
                    final int length = in.receive(buffer);
                    require(length == LENGTHS[i], "message " + i + ": length=" + length + " expected=" + LENGTHS[i]);
                    for (int b = 0; b < length; b++) {
                        require(buffer[b] == patternByte(i, b), "message " + i + " byte " + b + ": got " + buffer[b]
                            + " expected " + patternByte(i, b));
                    }
                }
                require(in.poll(buffer) == -1, "polled a message after the last one sent");

                fill(message, 100, 99);
                out.send(message, 100);
                try {
                    in.poll(new byte[50]);
                    throw new AssertionError("a 100-byte excerpt was copied into a 50-byte buffer");
                } catch (final IllegalStateException expected) {
                    require(expected.getMessage().contains("length=100 buffer=50"), expected.getMessage());
                }
                require(in.poll(buffer) == 100, "the excerpt too large for the small buffer was not left in place");
            }
        }
        require(Files.isDirectory(parent.resolve("chronicle-" + CHANNEL)), "no queue directory in " + parent);
        System.out.println("ok " + (LENGTHS.length + 1));
    }

    private static void refused(final MessageSender out, final byte[] message, final int length) throws Exception {
        try {
            out.send(message, length);
        } catch (final IllegalArgumentException expected) {
            require(expected.getMessage().contains("length=" + length), expected.getMessage());
            return;
        }
        throw new AssertionError("a " + length + "-byte message was accepted");
    }

    private static void fill(final byte[] message, final int length, final int index) {
        for (int b = 0; b < length; b++) {
            message[b] = patternByte(index, b);
        }
    }

    private static byte patternByte(final int index, final int offset) {
        return (byte) (index * 31 + offset * 7 + (offset >>> 8));
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
