package io.outpost.link;

import org.apache.camel.CamelContext;

/**
 * How messages cross between the two sites' brokers, {@code link.outbound} of one to {@code link.inbound} of
 * the other: the simulator, a real network. The one seam the transports sit behind; the endpoints
 * ({@link LinkOutbox}, {@link LinkInbox}) neither know nor care which.
 */
public interface LinkTransport {
    /** Starts moving messages both ways; returns where the bytes that crossed are counted. */
    LinkAccounting install(CamelContext camel) throws Exception;
}
