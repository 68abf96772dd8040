package io.outpost.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.events.Sizes;
import io.outpost.link.LinkAccounting;
import io.outpost.link.datagram.DatagramLink;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelContext;
import picocli.CommandLine.Option;

/** The link over UDP instead of a broker connection ({@link DatagramLink}): both sites give their own address and the other's. */
final class DatagramLinkOption {
    @Option(names = "--link-datagram", paramLabel = "HOST:PORT", converter = Converters.ListenConverter.class, description = {
            "Carry the link as UDP datagrams from and to this address, for paths where TCP cannot live (minutes of delay, long",
            "outages); needs --link-peer, and --link-bandwidth to pace at (default: the link over a broker connection)."})
    InetSocketAddress bind;

    @Option(names = "--link-peer", paramLabel = "HOST:PORT", converter = Converters.ListenConverter.class,
            description = "The other site's --link-datagram address.")
    InetSocketAddress peer;

    /** Installs the datagram link of {@code site} when it was asked for, and says so; false when it was not. */
    boolean installIfAsked(CamelContext camel, String site, String outpost, ExpectedLinkOption expected, MeterRegistry meters, Path stats, Clock clock)
            throws Exception {
        if (bind == null && peer == null) {
            return false;
        }
        if (bind == null || peer == null) {
            throw new IllegalArgumentException("--link-datagram and --link-peer go together: this site's UDP address and the other site's");
        }
        new DatagramLink(site, outpost, bind, peer, expected.bandwidth, expected.loss, new LinkAccounting(meters, stats), clock).install(camel);
        System.out.println("link: UDP datagrams from " + bind + " to " + peer + ", paced at " + Sizes.bytes(expected.bandwidth) + "/s");
        return true;
    }
}
