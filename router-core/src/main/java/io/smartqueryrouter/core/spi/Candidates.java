package io.smartqueryrouter.core.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * The nodes a {@link RoutingPolicy} may choose from for one attempt: already filtered by the
 * router (healthy, not ejected, not cooling down, not yet tried in this call, accepted by the
 * caller's filter). Immutable; the router builds a new one when membership or health changes, so
 * the common first attempt reuses a shared instance and allocates nothing.
 *
 * <p>Also holds the running sum of weights, so weighted policies pick in O(log n) without
 * allocating.
 */
public final class Candidates {
    private static final Candidates EMPTY = new Candidates(new NodeStats[0]);

    private final NodeStats[] nodes;
    private final long[] cumulativeWeights;

    private Candidates(NodeStats[] nodes) {
        this.nodes = nodes;
        this.cumulativeWeights = new long[nodes.length];
        long sum = 0;
        for (int i = 0; i < nodes.length; i++) {
            sum += nodes[i].weight();
            cumulativeWeights[i] = sum;
        }
    }

    /**
     * Returns candidates over the given statistics, in order (a copy of the array is kept).
     *
     * @param nodes the candidates' statistics, in the order policies see them by index
     * @return the candidates; a shared empty instance when {@code nodes} is empty
     * @throws NullPointerException if the array or an element is null
     */
    public static Candidates of(NodeStats... nodes) {
        if (nodes.length == 0) {
            return EMPTY;
        }
        NodeStats[] copy = nodes.clone();
        for (NodeStats s : copy) {
            Objects.requireNonNull(s, "candidate must not be null");
        }
        return new Candidates(copy);
    }

    /** {@return the number of candidates, 0 or more} */
    public int size() {
        return nodes.length;
    }

    /** {@return whether there is no candidate} */
    public boolean isEmpty() {
        return nodes.length == 0;
    }

    /**
     * Returns the candidate at {@code index}.
     *
     * @param index the candidate's position, in {@code [0, size())}
     * @return the candidate's statistics
     * @throws ArrayIndexOutOfBoundsException if the index is outside {@code [0, size())}
     */
    public NodeStats get(int index) {
        return nodes[index];
    }

    /** {@return the sum of all candidates' weights; 0 when there is no candidate} */
    public long totalWeight() {
        return nodes.length == 0 ? 0 : cumulativeWeights[nodes.length - 1];
    }

    /**
     * Returns the index of the candidate that owns the given point of the weight line: candidate
     * {@code i} owns {@code weight(i)} consecutive points, in order. Drawing the point uniformly
     * from {@code [0, totalWeight())} picks candidates in proportion to their weights.
     *
     * @param point a point of the weight line, in {@code [0, totalWeight())}
     * @return the owning candidate's index, in {@code [0, size())}
     * @throws IllegalArgumentException if the point is outside {@code [0, totalWeight())}
     */
    public int indexAtWeight(long point) {
        if (point < 0 || point >= totalWeight()) {
            throw new IllegalArgumentException("weight point must be in [0, " + totalWeight() + "), but was " + point);
        }
        int i = Arrays.binarySearch(cumulativeWeights, point + 1);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Candidates[");
        for (int i = 0; i < nodes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(nodes[i].node().id());
        }
        return sb.append(']').toString();
    }
}
