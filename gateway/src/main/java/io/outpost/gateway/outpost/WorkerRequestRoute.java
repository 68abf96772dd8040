package io.outpost.gateway.outpost;

import io.outpost.site.Addresses;
import io.outpost.site.SiteJms;
import io.outpost.site.DeadLetters;
import org.apache.camel.builder.RouteBuilder;

/** Workers' requests at the outpost site, on their way to the link. */
public final class WorkerRequestRoute extends RouteBuilder {
    private final WorkerRequests requests;

    public WorkerRequestRoute(WorkerRequests requests) {
        this.requests = requests;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer("outpost", Addresses.REQUESTS))
                .routeId("outpost-worker-requests")
                .routeConfigurationId(DeadLetters.configurationId("outpost"))
                .process(exchange -> requests.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
