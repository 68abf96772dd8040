package io.outpost.gateway.outpost;

import io.outpost.protocol.Tenants;
import io.outpost.site.Addresses;
import io.outpost.site.SiteJms;
import io.outpost.site.DeadLetters;
import org.apache.camel.builder.RouteBuilder;

/** One namespace's requests from its workers at the outpost site, on their way to the link. */
final class WorkerRequestRoute extends RouteBuilder {
    private final String tenant;
    private final WorkerRequests requests;

    WorkerRequestRoute(String tenant, WorkerRequests requests) {
        this.tenant = tenant;
        this.requests = requests;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer("outpost", Addresses.requests(tenant)))
                .routeId(Tenants.OUTPOST.equals(tenant) ? "outpost-worker-requests" : "outpost-worker-requests-" + tenant)
                .routeConfigurationId(DeadLetters.configurationId("outpost"))
                .process(exchange -> requests.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
