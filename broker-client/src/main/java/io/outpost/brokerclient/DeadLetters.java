package io.outpost.brokerclient;

import io.outpost.protocol.DeadLetterKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Shared error handling for every route that consumes a site's queue: a message that fails is moved,
 * as it arrived, to the site's {@link Addresses#DEAD} queue with the reason and the queue it came from as
 * properties, and the route goes on with the next one.
 */
public final class DeadLetters extends RouteConfigurationBuilder {
    /** The kind of a failure that names none. */
    public static final String FAILED = "failed";
    private static final Pattern QUEUE = Pattern.compile("queue:(?://)?([^?]+)");
    /**
     * The kinds a dead letter is counted under: a message that cannot be decoded, the frame refusals that reach the
     * dead queue (the link's own damage and replays are dropped as lost), and {@code failed} for the rest.
     */
    public static final List<String> KINDS = List.of("malformed", "unsigned", "untrusted", "bad-signature", "expired", "misaddressed", FAILED);

    private final String site;

    public DeadLetters(String site) {
        this.site = site;
    }

    /** Adds the route configuration for {@code site} unless another role of this process already did. */
    public static void ensureInstalled(CamelContext camel, String site) throws Exception {
        String id = configurationId(site);
        if (camel.getRegistry().lookupByName(id) == null) {
            camel.getRegistry().bind(id, new DeadLetters(site));
            camel.addRoutes(camel.getRegistry().lookupByNameAndType(id, DeadLetters.class));
        }
    }

    /** The exception and, when it wraps another, the root cause: what an operator needs to act. */
    public static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return root == cause ? reason : reason + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    /** The kind {@code cause} (or what it wraps) names, {@code failed} when none does. */
    public static String kind(Throwable cause) {
        for (Throwable each = cause; each != null; each = each.getCause() == each ? null : each.getCause()) {
            if (each instanceof DeadLetterKind named && KINDS.contains(named.deadLetterKind())) {
                return named.deadLetterKind();
            }
        }
        return FAILED;
    }

    /** The properties a dead letter carries about {@code cause}: its reason and kind. */
    public static Map<String, Object> about(Throwable cause) {
        return Map.of(Addresses.REJECT_REASON, reason(cause), Addresses.DEAD_KIND, kind(cause));
    }

    /** The queue a consumer's endpoint URI ({@code SITE:queue:NAME?...}, or as Camel normalises it) reads. */
    static Optional<String> queueOf(String endpointUri) {
        Matcher queue = QUEUE.matcher(endpointUri);
        return queue.find() ? Optional.of(queue.group(1)) : Optional.empty();
    }

    public static String configurationId(String site) {
        return site + "-dead-letters";
    }

    @Override
    public void configuration() {
        routeConfiguration(configurationId(site))
                .onException(Exception.class)
                .handled(true)
                .useOriginalMessage()
                .process(exchange -> {
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    exchange.getIn().getHeaders().putAll(about(cause));
                    queueOf(exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointUri())
                            .ifPresent(queue -> exchange.getIn().setHeader(Addresses.DEAD_FROM, queue));
                })
                .log(org.apache.camel.LoggingLevel.WARN, "rejected message from ${routeId}: ${header." + Addresses.REJECT_REASON + "}")
                .to(site + ":queue:" + Addresses.DEAD);
    }
}
