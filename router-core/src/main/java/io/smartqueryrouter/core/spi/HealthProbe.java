package io.smartqueryrouter.core.spi;

import io.smartqueryrouter.core.Node;
import java.time.Duration;

/**
 * One active health check of one node. Core ships a TCP-connect probe
 * ({@link io.smartqueryrouter.core.TcpProbe}); adapters ship HTTP and JDBC probes.
 *
 * <p>The health checker calls {@link #probe} from its own daemon threads, never concurrently for
 * the same node. A probe should give up after {@code timeout}; one still running then is counted
 * as failed at once and its late answer dropped. A probe that throws has failed, with the
 * exception as reason. A probe that is {@link AutoCloseable} (it holds a client, say) is closed
 * when its router closes, so give each router its own instance of such a probe.
 *
 * @param <E> the endpoint type it understands
 */
@FunctionalInterface
public interface HealthProbe<E> {

    /**
     * Probes the node once.
     *
     * @param node the node to probe
     * @param timeout how long the probe may take
     * @return the result
     * @throws Exception if the probe failed; counted as an unhealthy result
     */
    ProbeResult probe(Node<E> node, Duration timeout) throws Exception;
}
