package io.smartqueryrouter.core;

/**
 * The work of one attempt of a {@link Router#execute} call, done against the chosen node.
 *
 * @param <E> the endpoint type
 * @param <T> the result type
 */
@FunctionalInterface
public interface NodeCall<E, T> {

    /**
     * Calls the node.
     *
     * @param node the node chosen for this attempt
     * @return the result, handed back to the caller of {@code execute}
     * @throws Exception on failure; the router's {@link FailureClassifier} decides what it means
     */
    T call(Node<E> node) throws Exception;
}
