package dev.mproc.core;

/**
 * The wire format of {@link DefaultCodec}: one tag byte saying what follows, then a payload whose
 * multi-byte values are little-endian.
 * <pre>
 *   tag   type                payload
 *   0x01  byte[]              int32 n, n bytes
 *   0x02  String (Latin-1)    int32 n, n bytes, one per char     (every char in U+0000..U+00FF)
 *   0x03  String (UTF-8)      int32 n, n bytes of UTF-8          (otherwise, well-formed UTF-16)
 *   0x04  String (UTF-16)     int32 n, n UTF-16 code units       (has an unpaired surrogate)
 *   0x05  Integer             int32
 *   0x06  Long                int64
 *   0x07  Double              IEEE 754 bits, 8 bytes
 *   0x08  Float               IEEE 754 bits, 4 bytes
 *   0x09  Short               int16
 *   0x0A  Byte                int8
 *   0x0B  Character           one UTF-16 code unit
 *   0x0C  Boolean false       none
 *   0x0D  Boolean true        none
 *   0x0E  int[]               int32 n, n int32
 *   0x0F  long[]              int32 n, n int64
 *   0x10  double[]            int32 n, n IEEE 754 bits, 8 bytes each
 *   0x11  float[]             int32 n, n IEEE 754 bits, 4 bytes each
 *   0x12  short[]             int32 n, n int16
 *   0x13  char[]              int32 n, n UTF-16 code units
 *   0x14  boolean[]           int32 n, n bytes 0 or 1 (any non-zero byte decodes as true)
 *   0x15  any other object    a Java serialisation stream holding exactly one object
 * </pre>
 *
 * <p>Why one class for this: the fast paths, the string encoding and the length checks must agree
 * on every tag, and whoever changes the format must see the whole table, because a change makes
 * the bytes unreadable to a peer process running the previous version.
 *
 * <p>Why tags start at 1: zeroed memory (a slot never written) then decodes as "unknown tag 0x00"
 * rather than as a value.
 */
final class DefaultCodecFormat {
    static final byte TAG_BYTES = 0x01;
    static final byte TAG_STRING_LATIN1 = 0x02;
    static final byte TAG_STRING_UTF8 = 0x03;
    static final byte TAG_STRING_UTF16 = 0x04;
    static final byte TAG_INT = 0x05;
    static final byte TAG_LONG = 0x06;
    static final byte TAG_DOUBLE = 0x07;
    static final byte TAG_FLOAT = 0x08;
    static final byte TAG_SHORT = 0x09;
    static final byte TAG_BYTE = 0x0A;
    static final byte TAG_CHAR = 0x0B;
    static final byte TAG_FALSE = 0x0C;
    static final byte TAG_TRUE = 0x0D;
    static final byte TAG_INT_ARRAY = 0x0E;
    static final byte TAG_LONG_ARRAY = 0x0F;
    static final byte TAG_DOUBLE_ARRAY = 0x10;
    static final byte TAG_FLOAT_ARRAY = 0x11;
    static final byte TAG_SHORT_ARRAY = 0x12;
    static final byte TAG_CHAR_ARRAY = 0x13;
    static final byte TAG_BOOLEAN_ARRAY = 0x14;
    static final byte TAG_SERIALIZED = 0x15;

    /** Tag byte plus an int32 length: the header of every variable-length payload. */
    static final int ARRAY_HEADER = 1 + Integer.BYTES;

    /** Names for error messages, indexed by tag. */
    private static final String[] TAG_NAMES = {
        null, "byte[]", "String (Latin-1)", "String (UTF-8)", "String (UTF-16)", "Integer",
        "Long", "Double", "Float", "Short", "Byte", "Character", "Boolean", "Boolean", "int[]",
        "long[]", "double[]", "float[]", "short[]", "char[]", "boolean[]", "serialised object",
    };

    private DefaultCodecFormat() {
    }

    /**
     * @param tag a known tag, {@link #TAG_BYTES} to {@link #TAG_SERIALIZED}
     * @return the type it stands for, for messages
     */
    static String name(final byte tag) {
        return TAG_NAMES[tag];
    }

    /**
     * @param tag any tag byte, known or not
     * @return its two hex digits, lower case, for messages
     */
    static String hex(final byte tag) {
        return String.format("%02x", tag & 0xFF);
    }
}
