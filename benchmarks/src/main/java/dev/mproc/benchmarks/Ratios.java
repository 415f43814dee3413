package dev.mproc.benchmarks;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How many times better a figure of ours is than the peer figure it is compared against, stated
 * so that above 1 always means mproc is better: peer / ours for figures where lower is better
 * (times), ours / peer where higher is better (rates). The report's "x vs peer" column and the
 * ratio chart both come from here, so they cannot disagree.
 */
final class Ratios {
    private Ratios() {
    }

    /**
     * @param figure a figure of ours
     * @param stats  its statistics over the measured runs, or null if no run produced it
     * @param peer   what a peer program produced in this session
     * @return the ratio of our median to the peer's median (converted to the figure's unit), or
     *         empty when there is nothing to compare: the figure names no figure of that peer, the
     *         peer did not run or did not print that key, the units do not convert, a value is not
     *         positive, or the figure is {@link Better#NEITHER}
     */
    static OptionalDouble ratio(final Figure figure, final RunStats stats, final PeerRun peer) {
        if (stats == null) {
            return OptionalDouble.empty();
        }
        final OptionalDouble theirs = peerValue(figure, peer);
        if (theirs.isEmpty()) {
            return OptionalDouble.empty();
        }
        return ratio(figure.better(), stats.median(), theirs.getAsDouble());
    }

    /**
     * @param figure a figure of ours
     * @param peer   what a peer program produced
     * @return the median of the peer figure this figure is compared against, in this figure's unit;
     *         empty if the figure names no figure of that peer, the peer did not run or print it, or
     *         its unit does not convert to ours
     */
    static OptionalDouble peerValue(final Figure figure, final PeerRun peer) {
        final Optional<PeerRef> ref = figure.peer(peer.source());
        if (ref.isEmpty() || !peer.available()) {
            return OptionalDouble.empty();
        }
        final Optional<PeerValue> value = peer.figure(ref.get().key());
        if (value.isEmpty() || !Units.convertible(value.get().unit(), figure.unit())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Units.convert(value.get().median(), value.get().unit(), figure.unit()));
    }

    /**
     * @param better which way the figure improves
     * @param ours   our value
     * @param theirs the peer's value, in the same unit
     * @return theirs / ours for {@link Better#LOWER}, ours / theirs for {@link Better#HIGHER};
     *         empty for {@link Better#NEITHER} or when either value is not a positive number
     */
    static OptionalDouble ratio(final Better better, final double ours, final double theirs) {
        // "!(x > 0)" also rejects NaN: a missing run must not turn into a ratio of NaN or infinity
        if (!(ours > 0) || !(theirs > 0) || Double.isInfinite(ours) || Double.isInfinite(theirs)) {
            return OptionalDouble.empty();
        }
        return switch (better) {
            case LOWER -> OptionalDouble.of(theirs / ours);
            case HIGHER -> OptionalDouble.of(ours / theirs);
            case NEITHER -> OptionalDouble.empty();
        };
    }
}
