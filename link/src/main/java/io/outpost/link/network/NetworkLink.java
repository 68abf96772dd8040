package io.outpost.link.network;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.SiteJms;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTransport;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;

/**
 * The link over a real network, run at the outpost, which dials out (ships and stations sit behind NAT): the
 * JMS relay the simulator uses, without its simulation, between the outpost's own broker and the upstream's.
 * Both directions ride connections the outpost opened. Toward the outpost, where the data goes, the upstream
 * broker streams ahead of acknowledgements up to the {@link LinkWindow} (four times the bandwidth-delay product),
 * acknowledgements go lazily in batches, and the outpost broker's duplicate detection drops what a reconnect
 * delivers twice; toward the upstream (requests, reports and acknowledgements, all small) each message is
 * put and acknowledged in turn. The connection's state, and a round trip a probe measures every few seconds,
 * go to {@code connection}.
 *
 * @param outpost this outpost, whose messages the upstream keeps on a queue of their own
 * @param upstream the upstream broker as the {@code link} user ({@link UpstreamTrust#access})
 * @param governor the operator's rate caps and send windows
 */
public record NetworkLink(String outpost, BrokerAccess upstream, LinkAccounting accounting, LinkGovernor governor, LinkConnection connection, Clock clock)
        implements LinkTransport {
    /** How often the link's round trip is measured and its state kept. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    /** The Camel component of the upstream broker, in the outpost gateway's process. */
    static final String UPSTREAM = "upstream-link";

    @Override
    public LinkAccounting install(CamelContext camel) throws Exception {
        JmsComponent component = SiteJms.component(upstream, connection);
        camel.addComponent(UPSTREAM, component);
        // the connection reconnects forever: close it with the gateway, or it would go on dialling after
        camel.addService(new CloseOnStop(() -> SiteJms.closeConnections(component)), true, true);
        camel.addRoutes(new LinkRelayRoute(LinkDirection.TO_UPSTREAM, "", SiteJms.transactedConsumer(LinkDirection.TO_UPSTREAM.fromSite(), Addresses.LINK_OUTBOUND),
                UPSTREAM + ":queue:" + Addresses.LINK_INBOUND + "?preserveMessageQos=true", accounting, governor, clock));
        // bulk and the rest apart, so that bulk held back by the daily budget does not hold config and control behind it
        String toOutpost = LinkDirection.TO_OUTPOST.toSite() + ":queue:" + Addresses.LINK_INBOUND + "?preserveMessageQos=true";
        String fromUpstream = UPSTREAM + ":queue:" + LinkDirection.TO_OUTPOST.outbound(outpost) + "?acknowledgementModeName=DUPS_OK_ACKNOWLEDGE&selector=";
        camel.addRoutes(new LinkRelayRoute(LinkDirection.TO_OUTPOST, "",
                fromUpstream + "RAW(" + Addresses.CLASS + " IS NULL OR " + Addresses.CLASS + " <> '" + Addresses.BULK + "')", toOutpost, accounting,
                governor, clock));
        camel.addRoutes(new LinkRelayRoute(LinkDirection.TO_OUTPOST, "-" + Addresses.BULK,
                fromUpstream + "RAW(" + Addresses.CLASS + " = '" + Addresses.BULK + "')", toOutpost, accounting, governor, clock));
        LinkProbeRoute probe = new LinkProbeRoute(upstream, connection, PROBE_EVERY);
        camel.addRoutes(probe);
        camel.addService(new CloseOnStop(probe), true, true);
        return accounting;
    }
}
