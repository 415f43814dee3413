package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the output of {@code shared/limits/run.sh} into keyed figures.
 * <p>
 * Every line reads {@code limit <program>: <label>: <body>}. Keys are
 * {@code <program>.<label as a slug>[.<statistic>]}, the slug being the label in lower case with
 * each run of other characters than letters and digits turned into one {@code _}:
 * <ul>
 *   <li>a distribution, {@code n=200000 min=243.8 p50=295.4 ... mean=615.5 ns}, gives one key per
 *   statistic: {@code pingpong_spin.spin_rtt_mode_2lines_pause_1.p50};</li>
 *   <li>a single value, {@code 7.35 ns/op}, gives {@code locks.uncontended_cas_lock_unlock_counter};
 *   a program that prints it once per repetition gives several values under the one key;</li>
 *   <li>any other body gives one key per unit it mentions, from the first number written in that
 *   unit: {@code spsc.spsc_var_f_b_64_cap_16384.m_msg_s} for {@code ... = 82.5 M msg/s ...}.</li>
 * </ul>
 */
public final class LimitsOutput {
    private static final Pattern LINE = Pattern.compile("^limit ([A-Za-z0-9_]+): (.*)$");
    private static final Pattern DISTRIBUTION = Pattern.compile("^(.*?): (n=\\d+(?: [A-Za-z0-9.]+=[-0-9.]+)+) (\\S+)\\s*$");
    private static final Pattern SINGLE = Pattern.compile("^(.*?)\\s*: ([-0-9.]+) (\\S+)\\s*$");
    private static final Pattern LABELLED = Pattern.compile("^(.*?): (.*)$");
    private static final Pattern NUMBER_WITH_UNIT =
        Pattern.compile("(?<![A-Za-z0-9.=])([0-9]+(?:\\.[0-9]+)?) (M msg/s|GB/s|MB/s|ns|us|ms)(?![A-Za-z/])");

    private LimitsOutput() {
    }

    /**
     * @param output what run.sh printed
     * @return the figures by key, in output order
     */
    public static Map<String, PeerValue> parse(final String output) {
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        final Map<String, String> units = new LinkedHashMap<>();
        for (final String raw : output.split("\n")) {
            final Matcher line = LINE.matcher(raw.strip());
            if (!line.matches()) {
                continue;
            }
            final String program = line.group(1);
            final String rest = line.group(2);
            final Matcher distribution = DISTRIBUTION.matcher(rest);
            final Matcher single = SINGLE.matcher(rest);
            final Matcher labelled = LABELLED.matcher(rest);
            if (distribution.matches()) {
                final String prefix = program + "." + slug(distribution.group(1));
                for (final String pair : distribution.group(2).split(" ")) {
                    final int eq = pair.indexOf('=');
                    final String statistic = pair.substring(0, eq);
                    if (!statistic.equals("n")) {
                        add(values, units, prefix + "." + statistic, pair.substring(eq + 1), distribution.group(3));
                    }
                }
            } else if (single.matches()) {
                add(values, units, program + "." + slug(single.group(1)), single.group(2), single.group(3));
            } else if (labelled.matches()) {
                final String prefix = program + "." + slug(labelled.group(1));
                final Matcher numbers = NUMBER_WITH_UNIT.matcher(labelled.group(2));
                final List<String> seen = new ArrayList<>();
                while (numbers.find()) {
                    final String unit = numbers.group(2);
                    if (!seen.contains(unit)) {
                        seen.add(unit);
                        add(values, units, prefix + "." + slug(unit), numbers.group(1), unit);
                    }
                }
            }
        }
        final Map<String, PeerValue> figures = new LinkedHashMap<>();
        values.forEach((key, list) -> figures.put(key, new PeerValue(list, units.get(key))));
        return figures;
    }

    /**
     * @param label free text
     * @return the text in lower case, each run of characters other than letters and digits turned
     *         into one {@code _}, without leading or trailing {@code _}
     */
    public static String slug(final String label) {
        final String s = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return s.replaceAll("^_+|_+$", "");
    }

    private static void add(
        final Map<String, List<Double>> values,
        final Map<String, String> units,
        final String key,
        final String number,
        final String unit) {
        final double value;
        try {
            value = Double.parseDouble(number);
        } catch (final NumberFormatException e) {
            return;
        }
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        units.putIfAbsent(key, unit);
    }
}
