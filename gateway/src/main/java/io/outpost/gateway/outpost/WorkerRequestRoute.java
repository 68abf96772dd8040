package io.outpost.gateway.outpost;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.brokerclient.SiteJms;
import io.outpost.content.Tenants;
import io.outpost.protocol.MessageTypes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * One namespace's requests from its workers at the outpost site, on their way to the link. An import from
 * removable media takes as long as its archive is big: in the outpost's own namespace it waits on a queue
 * of its own ({@link Addresses#IMPORTS}), not in front of the workers' requests.
 */
final class WorkerRequestRoute extends RouteBuilder {
    private final String tenant;
    private final WorkerRequests requests;

    WorkerRequestRoute(String tenant, WorkerRequests requests) {
        this.tenant = tenant;
        this.requests = requests;
    }

    @Override
    public void configure() {
        boolean own = Tenants.OUTPOST.equals(tenant);
        if (own) {
            from(SiteJms.transactedConsumer("outpost", Addresses.IMPORTS))
                    .routeId("outpost-archive-imports")
                    .routeConfigurationId(DeadLetters.configurationId("outpost"))
                    .process(exchange -> requests.accept(exchange.getIn().getMandatoryBody(byte[].class)));
        }
        RouteDefinition route = from(SiteJms.transactedConsumer("outpost", Addresses.requests(tenant)))
                .routeId(own ? "outpost-worker-requests" : "outpost-worker-requests-" + tenant)
                .routeConfigurationId(DeadLetters.configurationId("outpost"));
        if (own) {
            route.filter(header(Addresses.TYPE).isEqualTo(MessageTypes.IMPORT_ARCHIVE))
                    .to("outpost:queue:" + Addresses.IMPORTS)
                    .stop()
                    .end();
        }
        route.process(exchange -> requests.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
