package dev.mproc.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A horizontal bar chart of ratios on a log axis, each bar drawn from 1x towards its ratio: right
 * of the 1x line mproc is better, left of it the peer is. Drawn with Java2D because XChart (3.8)
 * has no horizontal bars; the layout is fixed: names on the left, one row per bar, best first.
 */
final class RatioChart {
    static {
        // as in Charts: AWT reads this once, and the suite runs on machines without a display
        System.setProperty("java.awt.headless", "true");
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color BETTER = new Color(0x009E73);
    private static final Color WORSE = new Color(0xD55E00);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Color STRIPE = new Color(0xF4F4F4);
    /** Row height bounds: rows share {@code maxHeight} down to the smallest, then the image grows. */
    private static final int MIN_ROW = 22;
    private static final int MAX_ROW = 34;
    private static final int MIN_HEIGHT = 300;
    private static final int TOP = 78;
    private static final int BOTTOM = 58;
    private static final int RIGHT = 80;
    private static final int MIN_PLOT_WIDTH = 480;
    private static final int MAX_LABEL_WIDTH = 460;

    /**
     * One bar.
     *
     * @param label what it is: "workload figure"
     * @param ratio how many times better mproc is; positive
     */
    record Bar(String label, double ratio) {
        /**
         * Checks the parts.
         *
         * @param label what it is
         * @param ratio the ratio
         */
        Bar {
            Objects.requireNonNull(label, "label");
            if (!(ratio > 0) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("a ratio is a positive number: label=" + label + " ratio=" + ratio);
            }
        }
    }

    private RatioChart() {
    }

    /**
     * @param title     the heading
     * @param subtitle  a line under it saying how to read the bars
     * @param peer      the peer's name, for "peer better" / "mproc better" on either side of 1x
     * @param bars      the bars, at least one, in any order (drawn best first)
     * @param minWidth  the smallest image width; wider when the labels need it
     * @param maxHeight the height up to which rows thin down to fit, beyond which the image grows
     * @return the chart
     */
    static BufferedImage draw(
        final String title, final String subtitle, final String peer, final List<Bar> bars, final int minWidth,
        final int maxHeight) {
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("a ratio chart needs a bar: title=" + title);
        }
        final List<Bar> rows = bars.stream()
            .sorted(Comparator.comparingDouble(Bar::ratio).reversed().thenComparing(Bar::label))
            .toList();
        final int labelWidth = Math.min(MAX_LABEL_WIDTH, measure(rows));
        final int left = 16 + labelWidth + 12;
        final int width = Math.max(minWidth, left + MIN_PLOT_WIDTH + RIGHT);
        final int row = Math.max(MIN_ROW, Math.min(MAX_ROW, (maxHeight - TOP - BOTTOM) / rows.size()));
        final int thickness = Math.round(row * 0.64f);
        final int height = Math.max(MIN_HEIGHT, TOP + BOTTOM + rows.size() * row);
        final int plotWidth = width - left - RIGHT;
        final int plotHeight = height - TOP - BOTTOM;

        final double smallest = Math.min(1, rows.get(rows.size() - 1).ratio());
        final double largest = Math.max(1, rows.get(0).ratio());
        final int loDecade = (int) Math.floor(Math.log10(smallest));
        int hiDecade = (int) Math.ceil(Math.log10(largest));
        if (hiDecade == loDecade) {
            hiDecade++;
        }
        final double lo = loDecade;
        final double span = hiDecade - lo;
        final Scale scale = r -> left + (Math.log10(r) - lo) / span * plotWidth;

        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            centred(g, title, width / 2, 28);
            g.setFont(TEXT_FONT);
            centred(g, subtitle, width / 2, 50);

            // stripes every other row, so that a long label finds its bar
            // a few rows in the smallest image sit in the middle of the plot
            final int offset = (plotHeight - rows.size() * row) / 2;
            for (int i = 0; i < rows.size(); i += 2) {
                g.setColor(STRIPE);
                g.fillRect(left, TOP + offset + i * row, plotWidth, row);
            }
            drawGrid(g, scale, loDecade, hiDecade, left, plotWidth, plotHeight);

            final int one = (int) Math.round(scale.x(1));
            final FontMetrics metrics = g.getFontMetrics(TEXT_FONT);
            for (int i = 0; i < rows.size(); i++) {
                final Bar bar = rows.get(i);
                final int centre = TOP + offset + i * row + row / 2;
                final int end = (int) Math.round(scale.x(bar.ratio()));
                g.setColor(bar.ratio() >= 1 ? BETTER : WORSE);
                g.fillRect(Math.min(one, end), centre - thickness / 2, Math.max(1, Math.abs(end - one)), thickness);
                g.setColor(Color.BLACK);
                g.setFont(TEXT_FONT);
                final String label = fit(bar.label(), metrics, labelWidth);
                g.drawString(label, left - 12 - metrics.stringWidth(label), centre + metrics.getAscent() / 2 - 1);
                final String value = Numbers.format(bar.ratio()) + "x";
                // a bar left of 1x has its value right of the 1x line, where nothing else is drawn
                g.drawString(value, Math.max(one, end) + 5, centre + metrics.getAscent() / 2 - 1);
            }

            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(one, TOP, one, TOP + plotHeight);
            g.setFont(SMALL_FONT);
            final FontMetrics small = g.getFontMetrics();
            final String better = "mproc better \u2192";
            g.drawString(better, one + 6, TOP - 6);
            if (smallest < 1) {
                final String worse = "\u2190 " + peer + " better";
                g.drawString(worse, one - 6 - small.stringWidth(worse), TOP - 6);
            }
            g.setFont(TEXT_FONT);
            centred(g, "times better than " + peer + " (log scale)", left + plotWidth / 2, height - 12);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Maps a ratio to its x in pixels. */
    @FunctionalInterface
    private interface Scale {
        double x(double ratio);
    }

    private static void drawGrid(
        final Graphics2D g, final Scale scale, final int loDecade, final int hiDecade, final int left,
        final int plotWidth, final int plotHeight) {
        g.setFont(TEXT_FONT);
        final FontMetrics metrics = g.getFontMetrics();
        // with few decades the 2x and 5x lines get labels too, or the axis would read "1x ... 10x" only
        final boolean labelMinor = hiDecade - loDecade <= 2;
        for (int d = loDecade; d <= hiDecade; d++) {
            for (int m = 1; m <= 9; m++) {
                final double value = m * Math.pow(10, d);
                if (d == hiDecade && m > 1) {
                    break;
                }
                final int x = (int) Math.round(scale.x(value));
                final boolean major = m == 1;
                final boolean labelled = major || (labelMinor && (m == 2 || m == 5));
                g.setColor(major ? GRID.darker() : GRID);
                g.setStroke(new BasicStroke(major ? 1.2f : 1f));
                g.drawLine(x, TOP, x, TOP + plotHeight);
                if (labelled) {
                    g.setColor(Color.DARK_GRAY);
                    final String text = Numbers.format(value) + "x";
                    g.drawString(text, x - metrics.stringWidth(text) / 2, TOP + plotHeight + 4 + metrics.getAscent());
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, TOP, plotWidth, plotHeight);
    }

    private static int measure(final List<Bar> rows) {
        final BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = scratch.createGraphics();
        try {
            final FontMetrics metrics = g.getFontMetrics(TEXT_FONT);
            return rows.stream().mapToInt(b -> metrics.stringWidth(b.label())).max().orElse(0);
        } finally {
            g.dispose();
        }
    }

    /** The label, cut short with an ellipsis if it is wider than {@code width}. */
    private static String fit(final String label, final FontMetrics metrics, final int width) {
        if (metrics.stringWidth(label) <= width) {
            return label;
        }
        String cut = label;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "\u2026") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "\u2026";
    }

    private static void centred(final Graphics2D g, final String text, final int x, final int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
