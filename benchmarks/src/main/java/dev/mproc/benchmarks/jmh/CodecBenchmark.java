package dev.mproc.benchmarks.jmh;

import dev.mproc.core.DefaultCodec;
import dev.mproc.core.EncodingBuffer;
import dev.mproc.core.Namespace;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link DefaultCodec} costs per message, apart from any ring: encoding one value into a
 * reused {@link EncodingBuffer}, and decoding one value from its encoding in mapped memory.
 *
 * <p>Why: every {@code Queue.put}/{@code take} and {@code Connection.send}/{@code recv} pays this on
 * top of the ring's own cost, and the cross-process figures cannot separate the two. The values are
 * the kinds that dominate IPC traffic, each on its own path through the codec: an {@code Integer}
 * and a short {@code String} and a 64-byte {@code byte[]} (tag, length, one bulk copy), and a small
 * {@code List<Integer>} and a small record (Java serialisation behind the deserialisation filter).
 *
 * <p>Encoding clears and refills one buffer that has already grown past every encoding here, as a
 * queue's producer does, so the figure is the codec and not the growth of a buffer. Decoding reads
 * from a file mapped in a private namespace, where a consumer would find the bytes in a ring; its
 * figure includes allocating the decoded value, which a real consumer pays too. The integer is
 * outside {@code Integer}'s cache of small values, so decoding it allocates as most integers would.
 *
 * <p>Not final, like every JMH benchmark and state class: JMH's generated code extends it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBenchmark {

    /** A small record of the kind a task result or event carries; goes through Java serialisation. */
    public record Sample(int id, String name, double score) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    static final Integer INTEGER = 123_456_789;
    static final String STRING = "order-42 filled";
    static final byte[] BYTES = bytes(64);
    static final List<Integer> LIST = List.of(1, 2, 3, 4, 5, 6, 7, 8);
    static final Sample RECORD = new Sample(7, "sensor-7", 21.5);

    private final DefaultCodec codec = DefaultCodec.instance();
    private final EncodingBuffer buffer = new EncodingBuffer();
    Namespace namespace;
    private ScratchFile encodings;
    private MemorySegment encodedInteger;
    private MemorySegment encodedString;
    private MemorySegment encodedBytes;
    private MemorySegment encodedList;
    private MemorySegment encodedRecord;

    /** Creates the namespace and writes each value's encoding, one after another, into a mapped file. */
    @Setup(Level.Trial)
    public void setUp() {
        namespace = Namespace.createPrivate();
        final List<Object> values = List.of(INTEGER, STRING, BYTES, LIST, RECORD);
        long total = 0;
        for (final Object value : values) {
            total += encode(value);
        }
        encodings = ScratchFile.create(namespace, "codec-inputs", total);
        long offset = 0;
        final MemorySegment[] slices = new MemorySegment[values.size()];
        for (int i = 0; i < slices.length; i++) {
            final int length = encode(values.get(i));
            buffer.copyTo(encodings.segment(), offset);
            slices[i] = encodings.segment().asSlice(offset, length);
            offset += length;
        }
        encodedInteger = slices[0];
        encodedString = slices[1];
        encodedBytes = slices[2];
        encodedList = slices[3];
        encodedRecord = slices[4];
        buffer.clear();
    }

    /** Unmaps the inputs and deletes the namespace with its file. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (encodings != null) {
            encodings.close();
        }
        namespace.close();
    }

    /** @return the encoding's length, so that the work cannot be dropped */
    @Benchmark
    public int encodeInteger() {
        return encode(INTEGER);
    }

    /** @return the encoding's length */
    @Benchmark
    public int encodeString() {
        return encode(STRING);
    }

    /** @return the encoding's length */
    @Benchmark
    public int encodeBytes() {
        return encode(BYTES);
    }

    /** @return the encoding's length */
    @Benchmark
    public int encodeList() {
        return encode(LIST);
    }

    /** @return the encoding's length */
    @Benchmark
    public int encodeRecord() {
        return encode(RECORD);
    }

    /** @return the decoded value */
    @Benchmark
    public Object decodeInteger() {
        return codec.decode(encodedInteger);
    }

    /** @return the decoded value */
    @Benchmark
    public Object decodeString() {
        return codec.decode(encodedString);
    }

    /** @return the decoded value */
    @Benchmark
    public Object decodeBytes() {
        return codec.decode(encodedBytes);
    }

    /** @return the decoded value */
    @Benchmark
    public Object decodeList() {
        return codec.decode(encodedList);
    }

    /** @return the decoded value */
    @Benchmark
    public Object decodeRecord() {
        return codec.decode(encodedRecord);
    }

    /** The last encoding written, valid until the next encode: lets a test decode what was encoded. */
    MemorySegment lastEncoding() {
        return buffer.segment();
    }

    private int encode(final Object value) {
        buffer.clear();
        codec.encode(value, buffer);
        return buffer.length();
    }

    private static byte[] bytes(final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
