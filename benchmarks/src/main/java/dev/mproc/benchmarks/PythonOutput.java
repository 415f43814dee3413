package dev.mproc.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the CPython baseline's {@code name value unit} lines. Comment lines ({@code #}) and lines
 * whose value is not a number (the Python version) are skipped; the key is the name as printed,
 * e.g. {@code pipe_pingpong_rtt_median}.
 */
public final class PythonOutput {
    private PythonOutput() {
    }

    /**
     * @param output what the baseline printed
     * @return the figures by name, in output order
     */
    public static Map<String, PeerValue> parse(final String output) {
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        final Map<String, String> units = new LinkedHashMap<>();
        for (final String raw : output.split("\n")) {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] parts = line.split("\\s+", 3);
            if (parts.length < 3) {
                continue;
            }
            final double value;
            try {
                value = Double.parseDouble(parts[1]);
            } catch (final NumberFormatException e) {
                continue;
            }
            values.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(value);
            units.putIfAbsent(parts[0], parts[2]);
        }
        final Map<String, PeerValue> figures = new LinkedHashMap<>();
        values.forEach((key, list) -> figures.put(key, new PeerValue(list, units.get(key))));
        return figures;
    }
}
