package io.outpost.link.datagram;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.SiteJms;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTransport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link over UDP, for paths where TCP cannot live (minutes of delay, outages of hours): no connection and no
 * handshake. Each site runs one, bound to its own address and sending to its peer's: what its broker puts on
 * {@code link.outbound} goes as datagrams ({@link DatagramFrames}, coded for {@code expectedLoss}), paced at
 * {@code bytesPerSecond}; what arrives whole goes to its {@code link.inbound}; a frame that does not is counted lost. Nothing is acknowledged and nothing
 * resent here: the transfer layer's checkpoints, reports and repair chunks recover what is lost, and the frames'
 * signatures refuse what did not come from the peer.
 *
 * @param site "outpost" or "upstream": the Camel component of this site's broker
 * @param outpost the outpost at the far end (or this outpost), whose messages the upstream keeps on a queue of their own
 */
public record DatagramLink(String site, String outpost, InetSocketAddress bind, InetSocketAddress peer, long bytesPerSecond, double expectedLoss,
                           LinkAccounting accounting, Clock clock) implements LinkTransport {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramLink.class);
    /** Bytes the IP and UDP headers add to each datagram on the wire: what the pacing counts. */
    static final int HEADERS = 28;
    /** How long a frame waits for its fragments before it counts as lost. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The least loss coded for: a datagram network drops some under load, and in bursts. */
    static final double LEAST_LOSS = 0.02;
    /** Frames that came whole and wait for the broker: some 16 MiB of chunks. */
    static final int ARRIVED_FRAMES = 64;
    static final int RECEIVE_BUFFER = 8 << 20;

    public DatagramLink {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("the datagram link paces what it sends: give --link-bandwidth, e.g. 2Mbit");
        }
    }

    private LinkDirection inbound() {
        return outbound().reverse();
    }

    private LinkDirection outbound() {
        return LinkDirection.from(site);
    }

    @Override
    public LinkAccounting install(CamelContext camel) throws Exception {
        DatagramSocket socket = new DatagramSocket(bind);
        socket.setSendBufferSize(4 << 20);
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        camel.addService(new CloseOnStop(socket), true, true);
        Sender sender = new Sender(socket, peer, bytesPerSecond, Math.max(LEAST_LOSS, expectedLoss));
        LinkDirection out = outbound();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(SiteJms.transactedConsumer(site, out.outbound(outpost))).routeId("link-" + out.tag())
                        .process(exchange -> {
                            byte[] frame = exchange.getIn().getMandatoryBody(byte[].class);
                            String type = type(exchange);
                            sender.send(type, frame);
                            accounting.count(out, type, frame.length);
                        });
            }
        });
        BlockingQueue<FrameReassembly.Frame> arrived = new ArrayBlockingQueue<>(ARRIVED_FRAMES);
        Thread receiving = new Thread(() -> receive(socket, arrived), "outpost-datagram-link-in");
        receiving.setDaemon(true);
        receiving.start();
        Thread putting = new Thread(() -> put(socket, arrived, camel.createProducerTemplate()), "outpost-datagram-link-put");
        putting.setDaemon(true);
        putting.start();
        if (socket.getReceiveBufferSize() < RECEIVE_BUFFER) {
            LOG.warn("datagram link: the system gives {} a receive buffer of {} bytes, not {}: datagrams that come while the broker is busy may be"
                    + " dropped (sysctl -w net.core.rmem_max={})", bind, socket.getReceiveBufferSize(), RECEIVE_BUFFER, RECEIVE_BUFFER);
        }
        LOG.info("datagram link: {} -> {} at {} bytes/s", bind, peer, bytesPerSecond);
        return accounting;
    }

    /** Puts each frame that came whole on this site's inbound queue, apart from the thread that takes datagrams, so a busy broker does not make the socket drop them. */
    private void put(DatagramSocket socket, BlockingQueue<FrameReassembly.Frame> arrived, ProducerTemplate producer) {
        LinkDirection in = inbound();
        String inbound = site + ":queue:" + Addresses.LINK_INBOUND;
        // a datagram carries no broker properties: at the upstream, the outpost's frames are its message group there, as over the other links
        Map<String, Object> group = in == LinkDirection.TO_UPSTREAM ? Map.of(Addresses.GROUP, outpost) : Map.of();
        while (!socket.isClosed()) {
            FrameReassembly.Frame frame;
            try {
                frame = arrived.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (frame == null) {
                continue;
            }
            try {
                Map<String, Object> headers = new HashMap<>(group);
                headers.put(Addresses.TYPE, frame.type());
                producer.sendBodyAndHeaders(inbound, frame.bytes(), headers);
                accounting.count(in, frame.type(), frame.bytes().length);
            } catch (RuntimeException e) {
                LOG.warn("datagram link: a frame that arrived could not be put on {}: {}", inbound, e.getMessage());
            }
        }
    }

    private static String type(Exchange exchange) {
        return exchange.getIn().getHeader(Addresses.TYPE, "unknown", String.class);
    }

    /** Takes datagrams until the socket closes; each frame that comes whole is handed to {@code arrived} (dropped, as lost, when that is full). */
    private void receive(DatagramSocket socket, BlockingQueue<FrameReassembly.Frame> arrived) {
        LinkDirection in = inbound();
        // a frame given up on counts as lost on the link, where the simulator counts its losses
        FrameReassembly frames = new FrameReassembly(PATIENCE, (type, bytes) -> accounting.countLost(in, type, bytes));
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("datagram link: cannot receive: {}", e.getMessage());
                continue;
            }
            if (!peer.getAddress().equals(packet.getAddress())) {
                continue; // not from the peer: nothing it could say is trusted, and signatures would refuse it anyway
            }
            DatagramFrames.Fragment fragment = DatagramFrames.decode(buffer, packet.getLength());
            if (fragment == null) {
                continue; // damaged on the way: lost, for the transfer layer to recover
            }
            frames.accept(fragment, clock.instant()).ifPresent(frame -> {
                if (!arrived.offer(frame)) {
                    LOG.warn("datagram link: {} frames wait for the broker; a {} that arrived is dropped", ARRIVED_FRAMES, frame.type());
                }
            });
        }
    }

    /** Sends frames as datagrams, no faster than the link's bandwidth. */
    static final class Sender {
        private final DatagramSocket socket;
        private final InetSocketAddress peer;
        private final long bytesPerSecond;
        private final double loss;
        private final AtomicLong frameIds = new AtomicLong((long) new Random().nextInt() << 32);
        private long nextSendNanos = System.nanoTime();

        Sender(DatagramSocket socket, InetSocketAddress peer, long bytesPerSecond, double loss) {
            this.socket = socket;
            this.peer = peer;
            this.bytesPerSecond = bytesPerSecond;
            this.loss = loss;
        }

        synchronized void send(String type, byte[] frame) throws IOException {
            List<byte[]> datagrams = DatagramFrames.encode(frameIds.incrementAndGet(), type, frame, loss);
            for (byte[] datagram : datagrams) {
                long wait = nextSendNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                nextSendNanos = Math.max(nextSendNanos, System.nanoTime() - 50_000_000L) + (datagram.length + HEADERS) * 1_000_000_000L / bytesPerSecond;
                socket.send(new DatagramPacket(datagram, datagram.length, peer));
            }
        }
    }
}
