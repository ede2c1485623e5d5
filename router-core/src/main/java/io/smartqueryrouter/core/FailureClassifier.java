package io.smartqueryrouter.core;

/**
 * Tells {@link Router#execute} what an exception thrown by a call means for the node. The default
 * classifies every exception as {@link Outcome#FAILURE}; give one that returns
 * {@link Outcome#CLIENT_ERROR} for the caller's own mistakes so they neither blame the node nor
 * get retried. {@link InterruptedException} is always {@link Outcome#CANCELLED}.
 */
@FunctionalInterface
public interface FailureClassifier {

    /** Every failure is the node's fault. */
    FailureClassifier ALWAYS_FAILURE = failure -> Outcome.FAILURE;

    /**
     * Classifies a failure; must not return {@link Outcome#SUCCESS}.
     *
     * @param failure what the call threw
     * @return the outcome to record
     */
    Outcome classify(Throwable failure);
}
