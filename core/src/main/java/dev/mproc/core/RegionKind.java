package dev.mproc.core;

import java.io.Serial;
import java.io.Serializable;

/**
 * What a region holds, as four printable ASCII characters stored in its header ({@code "LOCK"},
 * {@code "QUEU"}, ...).
 * <p>
 * A tag rather than an enum because each module defines its own kinds, and because a readable
 * tag makes a mismatch easy to report: "expected kind LOCK but the file holds QUEU".
 */
public final class RegionKind implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int code;

    private RegionKind(final int code) {
        this.code = code;
    }

    /**
     * @param tag exactly four printable ASCII characters
     * @return the kind with that tag
     */
    public static RegionKind of(final String tag) {
        if (tag == null || tag.length() != 4) {
            throw new IllegalArgumentException("a region kind is 4 ASCII characters: tag=" + tag);
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            final char c = tag.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("a region kind is 4 printable ASCII characters: tag=" + tag);
            }
            code |= c << (8 * i);
        }
        return new RegionKind(code);
    }

    /**
     * @param code the 32-bit code stored in a header
     * @return the kind with that code (which may not be printable if the file is foreign)
     */
    public static RegionKind ofCode(final int code) {
        return new RegionKind(code);
    }

    /**
     * @return the 32-bit code stored in the header
     */
    public int code() {
        return code;
    }

    /**
     * @return the four-character tag, with unprintable bytes shown as {@code \xNN}
     */
    public String tag() {
        final StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            final int c = (code >>> (8 * i)) & 0xff;
            if (c >= 0x20 && c <= 0x7e) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof RegionKind other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return tag();
    }
}
