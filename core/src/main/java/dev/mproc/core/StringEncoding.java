package dev.mproc.core;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.mproc.core.DefaultCodecFormat.ARRAY_HEADER;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_LATIN1;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_UTF16;
import static dev.mproc.core.DefaultCodecFormat.TAG_STRING_UTF8;
import static dev.mproc.core.EncodingBuffer.CHAR_LE;

/**
 * How {@link DefaultCodec} writes and reads a {@link String}: Latin-1 when it can, UTF-8 when it
 * must, raw UTF-16 when nothing else round-trips.
 *
 * <p>Why three forms: the common case, ASCII and Latin-1, is one byte per char, written with the
 * JDK's char-to-byte copy (an arraycopy for compact strings) and read back through the
 * ISO-8859-1 decoder (also an arraycopy). Other strings are UTF-8 because it is compact for the
 * text most programs send and the JDK's decoder is fast. UTF-8 cannot carry an unpaired
 * surrogate, which a Java String may hold; such a string is sent as raw UTF-16 so that every
 * String round-trips exactly.
 */
final class StringEncoding {

    private StringEncoding() {
    }

    /**
     * Appends the tag and payload for {@code s}, in the most compact form that round-trips.
     *
     * @throws CodecException if the encoding exceeds {@link EncodingBuffer#MAX_LENGTH}
     */
    static void encode(final String s, final EncodingBuffer out) {
        final int n = s.length();
        int i = 0;
        // Scan for the first char above Latin-1; for ASCII and Latin-1 text the scan is the only
        // per-char work, the copy below is an arraycopy.
        while (i < n && s.charAt(i) <= 0xFF) {
            i++;
        }
        if (i == n) {
            encodeLatin1(s, out);
            return;
        }
        final long utf8Length = utf8Length(s, i);
        if (utf8Length < 0) {
            encodeUtf16(s, out);
        } else {
            encodeUtf8(s, (int) Math.min(utf8Length, Integer.MAX_VALUE), out);
        }
    }

    static String decodeLatin1(final MemorySegment in) {
        return new String(PayloadBounds.bytes(in, TAG_STRING_LATIN1), StandardCharsets.ISO_8859_1);
    }

    static String decodeUtf8(final MemorySegment in) {
        return new String(PayloadBounds.bytes(in, TAG_STRING_UTF8), StandardCharsets.UTF_8);
    }

    static String decodeUtf16(final MemorySegment in) {
        final int n = PayloadBounds.arrayCount(in, TAG_STRING_UTF16, Character.BYTES);
        final char[] a = new char[n];
        MemorySegment.copy(in, CHAR_LE, ARRAY_HEADER, a, 0, n);
        return new String(a);
    }

    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is exactly the copy we want
    private static void encodeLatin1(final String s, final EncodingBuffer out) {
        final int n = s.length();
        out.putByte(TAG_STRING_LATIN1);
        out.putInt(n);
        final int at = out.reserve(n);
        // Copies the low byte of each char: lossless here since every char is <= U+00FF, and a
        // plain arraycopy when the string is stored compactly (as Latin-1 strings are).
        s.getBytes(0, n, out.array(), at);
    }

    /**
     * The UTF-8 length of {@code s}, or -1 if it holds an unpaired surrogate (which UTF-8 cannot
     * represent). Chars before {@code from} are known to be Latin-1.
     */
    private static long utf8Length(final String s, final int from) {
        final int n = s.length();
        long bytes = 0;
        for (int i = 0; i < from; i++) {
            bytes += s.charAt(i) < 0x80 ? 1 : 2;
        }
        for (int i = from; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return -1;
                }
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void encodeUtf8(final String s, final int utf8Length, final EncodingBuffer out) {
        out.putByte(TAG_STRING_UTF8);
        out.putInt(utf8Length);
        // reserve() rejects a length above MAX_LENGTH (utf8Length was clamped to int for this).
        int p = out.reserve(utf8Length);
        final byte[] dst = out.array();
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xC0 | c >> 6);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                // utf8Length() proved that a low surrogate follows.
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[p++] = (byte) (0xF0 | cp >> 18);
                dst[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                dst[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                dst[p++] = (byte) (0x80 | cp & 0x3F);
            } else {
                dst[p++] = (byte) (0xE0 | c >> 12);
                dst[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                dst[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private static void encodeUtf16(final String s, final EncodingBuffer out) {
        // Rare (only strings with unpaired surrogates), so per-char puts are good enough.
        final int n = s.length();
        if (2L * n > EncodingBuffer.MAX_LENGTH) {
            throw new CodecException("cannot encode String of length " + n + ": " + 2L * n
                + " bytes exceeds maxLength " + EncodingBuffer.MAX_LENGTH);
        }
        out.putByte(TAG_STRING_UTF16);
        out.putInt(n);
        for (int i = 0; i < n; i++) {
            out.putChar(s.charAt(i));
        }
    }
}
