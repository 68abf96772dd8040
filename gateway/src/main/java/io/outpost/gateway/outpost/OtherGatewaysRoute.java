package io.outpost.gateway.outpost;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.content.Tenants;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import java.util.function.Consumer;
import org.apache.camel.builder.RouteBuilder;

/** One namespace's ready events published by the other outpost gateways on the same broker, for this one to learn from. */
final class OtherGatewaysRoute extends RouteBuilder {
    private final String tenant;
    private final String gateway;
    private final EnvelopeCodec codec;
    private final Consumer<Ready> learn;

    OtherGatewaysRoute(String tenant, String gateway, EnvelopeCodec codec, Consumer<Ready> learn) {
        this.tenant = tenant;
        this.gateway = gateway;
        this.codec = codec;
        this.learn = learn;
    }

    @Override
    public void configure() {
        from("outpost:topic:" + Addresses.ready(tenant) + "?selector=RAW(" + Addresses.PUBLISHED_BY + " <> '" + gateway + "')")
                .routeId(Tenants.OUTPOST.equals(tenant) ? "outpost-other-gateways" : "outpost-other-gateways-" + tenant)
                .routeConfigurationId(DeadLetters.configurationId("outpost"))
                .process(exchange -> learn.accept(Messages.read(codec.decode(exchange.getIn().getMandatoryBody(byte[].class)), Ready.class)));
    }
}
