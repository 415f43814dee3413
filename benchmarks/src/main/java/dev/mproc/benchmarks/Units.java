package dev.mproc.benchmarks;

import java.util.Locale;

/**
 * Converts values between the units the workloads and the peers print, so that a peer's figure can
 * be set beside ours: times ({@code ns}, {@code us}, {@code ms}, {@code s}, also written
 * {@code ns/op}), counting rates ({@code ops/s}, {@code msgs/s}, {@code pairs/s}, optionally with a
 * {@code K} or {@code M} prefix: {@code M ops/s}) and byte rates ({@code MB/s}, {@code GB/s}).
 * <p>
 * A time per operation and a counting rate are each other's reciprocal, so CPython's
 * "lock acquire+release pairs/s" converts to nanoseconds per pair.
 */
public final class Units {

    private enum Dimension { TIME, COUNT_RATE, BYTE_RATE }

    private record Scaled(Dimension dimension, double factor) {
    }

    private Units() {
    }

    /**
     * @param value a value in {@code from}
     * @param from  its unit
     * @param to    the unit wanted
     * @return the value in {@code to}
     * @throws IllegalArgumentException if the units are unknown or measure different things
     */
    public static double convert(final double value, final String from, final String to) {
        if (normalise(from).equals(normalise(to))) {
            return value;
        }
        final Scaled a = parse(from);
        final Scaled b = parse(to);
        if (a.dimension == b.dimension) {
            return value * a.factor / b.factor;
        }
        final boolean reciprocal = (a.dimension == Dimension.TIME && b.dimension == Dimension.COUNT_RATE)
            || (a.dimension == Dimension.COUNT_RATE && b.dimension == Dimension.TIME);
        if (!reciprocal) {
            throw new IllegalArgumentException("cannot convert " + from + " to " + to);
        }
        // seconds per operation <-> operations per second
        return 1.0 / (value * a.factor) / b.factor;
    }

    /**
     * @param a a unit
     * @param b another unit
     * @return true if {@link #convert} can turn one into the other
     */
    public static boolean convertible(final String a, final String b) {
        try {
            convert(1.0, a, b);
            return true;
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(final String unit) {
        String u = unit.strip().toLowerCase(Locale.ROOT).replace("µ", "u");
        if (u.endsWith("/op")) {
            u = u.substring(0, u.length() - 3).strip();
        }
        return u;
    }

    private static Scaled parse(final String unit) {
        final String u = normalise(unit);
        switch (u) {
            case "ns":
                return new Scaled(Dimension.TIME, 1e-9);
            case "us":
                return new Scaled(Dimension.TIME, 1e-6);
            case "ms":
                return new Scaled(Dimension.TIME, 1e-3);
            case "s":
                return new Scaled(Dimension.TIME, 1.0);
            case "b/s":
                return new Scaled(Dimension.BYTE_RATE, 1.0);
            case "kb/s":
                return new Scaled(Dimension.BYTE_RATE, 1e3);
            case "mb/s":
                return new Scaled(Dimension.BYTE_RATE, 1e6);
            case "gb/s":
                return new Scaled(Dimension.BYTE_RATE, 1e9);
            default:
                break;
        }
        if (u.endsWith("/s")) {
            final String[] words = u.substring(0, u.length() - 2).strip().split("\\s+");
            if (words.length == 1 && isCountNoun(words[0])) {
                return new Scaled(Dimension.COUNT_RATE, 1.0);
            }
            if (words.length == 2 && isCountNoun(words[1])) {
                if (words[0].equals("k")) {
                    return new Scaled(Dimension.COUNT_RATE, 1e3);
                }
                if (words[0].equals("m")) {
                    return new Scaled(Dimension.COUNT_RATE, 1e6);
                }
            }
        }
        throw new IllegalArgumentException("unknown unit: " + unit);
    }

    private static boolean isCountNoun(final String word) {
        return switch (word) {
            case "op", "ops", "msg", "msgs", "pairs", "tasks", "roundtrips", "round trips", "items" -> true;
            default -> false;
        };
    }
}
