package io.outpost.cli;

import io.outpost.broker.InternalCa;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.network.JoinLine;
import io.outpost.link.network.UpstreamTrust;
import io.outpost.link.trust.SiteKeys;
import java.time.Clock;

/** The join line of the upstream site whose data is {@code upstream}: its CA's fingerprint, its link user's password, its key. */
public final class UpstreamJoinLine {
    private UpstreamJoinLine() {
    }

    /** @param address where outposts reach the upstream's broker, {@code host:port} */
    public static JoinLine of(SiteData upstream, String address) {
        return new JoinLine(address, UpstreamTrust.fingerprint(InternalCa.loadOrCreate(upstream.tls(), UpstreamGateway.SITE, Clock.systemUTC()).certificate()),
                BrokerAccess.readPassword(upstream, BrokerRole.LINK.user()), SiteKeys.loadOrCreate(upstream.keys(), UpstreamGateway.SITE).publicKey());
    }
}
