package io.outpost.broker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.data.SiteData;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A site's embedded Artemis broker with a persistent journal under {@code dir}: durable queues and
 * scheduled messages survive a restart. Reachable in-JVM and, when a port is given, over TLS on
 * 127.0.0.1, with a certificate from the site's internal CA. Every connection authenticates as one of
 * the site's {@link BrokerUsers} and may do only what its role is granted ({@link BrokerPermissions}).
 */
public final class SiteBroker implements AutoCloseable {
    /** Where a broker listens by default: for this machine's clients only. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final String ANY = "0.0.0.0";
    /** In-VM acceptor ids must be unique per JVM, or one broker captures another's traffic. */
    private static final AtomicInteger NEXT_VM_ID = new AtomicInteger(1);

    private final String site;
    private final SiteData siteData;
    private final EmbeddedActiveMQ server;
    private final BrokerUsers users;
    private final int vmId;
    private final int tcpPort;
    private final String tcpHost;

    private SiteBroker(String site, SiteData siteData, EmbeddedActiveMQ server, BrokerUsers users, int vmId, String tcpHost, int tcpPort) {
        this.site = site;
        this.siteData = siteData;
        this.server = server;
        this.users = users;
        this.vmId = vmId;
        this.tcpPort = tcpPort;
        this.tcpHost = tcpHost;
    }

    /** A broker without tenants. */
    public static SiteBroker start(String site, SiteData siteData, int tcpPort) {
        return start(site, siteData, tcpPort, List.of());
    }

    /**
     * @param siteData the site's data: the broker's journals under {@link SiteData#broker()}, its users' passwords and TLS material beside them
     * @param tcpPort 0 for in-JVM access only
     * @param tenants the teams sharing the outpost, each with its workers' user, request queue and ready topic
     */
    public static SiteBroker start(String site, SiteData siteData, int tcpPort, List<String> tenants) {
        return start(site, siteData, LOOPBACK, tcpPort, tenants);
    }

    /**
     * @param listen the address the TCP acceptor binds: {@link #LOOPBACK} for clients on this machine, a site's
     *               own address (or 0.0.0.0) where the other site's link dials in
     */
    public static SiteBroker start(String site, SiteData siteData, String listen, int tcpPort, List<String> tenants) {
        int vmId = NEXT_VM_ID.getAndIncrement();
        Path dir = siteData.broker();
        try {
            BrokerUsers users = BrokerUsers.loadOrCreate(siteData, tenants);
            ConfigurationImpl config = new ConfigurationImpl();
            config.setName(site);
            config.setPersistenceEnabled(true);
            config.setJournalType(JournalType.NIO);
            config.setJournalDirectory(dir.resolve("journal").toString());
            config.setBindingsDirectory(dir.resolve("bindings").toString());
            config.setPagingDirectory(dir.resolve("paging").toString());
            config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
            config.setSecurityEnabled(true);
            BrokerPermissions.all(tenants).forEach(config::putSecurityRoles);
            config.setJMXManagementEnabled(false);
            config.addAcceptorConfiguration("vm", "vm://" + vmId);
            if (tcpPort > 0) {
                config.addAcceptorConfiguration("tcp", "tcp://" + listen + ":" + tcpPort + "?" + tls(site, dir, siteData, listen));
            }
            config.addAddressSetting("#", new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(Addresses.DEAD))
                    .setExpiryAddress(SimpleString.of(Addresses.EXPIRED))
                    .setMaxDeliveryAttempts(5));
            // What arrived but cannot be stored yet (a disk full to the last byte) is offered again, never dead-lettered for it.
            config.addAddressSetting(Addresses.LINK_INBOUND, retriedUntilItWorks(1000));
            // The link keeps trying while the other site's broker is away: a message waiting to cross is
            // never dead-lettered, it is retried with backoff until the put succeeds.
            config.addAddressSetting(Addresses.outboundTo("#"), retriedUntilItWorks(250)
                    // no message groups here: the link takes bulk and other messages with two consumers (a daily
                    // budget holds bulk back), and a group pinned to one would strand the other's; groups matter on
                    // link.inbound, where competing gateways take whole answers
                    .setDefaultGroupBuckets(0));
            // one upstream gateway at a time takes the turns to poll the origins
            config.addAddressSetting(Addresses.PUSH_POLL, new AddressSettings().setDefaultExclusiveQueue(true));
            config.addQueueConfiguration(QueueConfiguration.of(Addresses.DEAD).setRoutingType(RoutingType.ANYCAST));
            config.addQueueConfiguration(QueueConfiguration.of(Addresses.EXPIRED).setRoutingType(RoutingType.ANYCAST));
            EmbeddedActiveMQ server = new EmbeddedActiveMQ();
            server.setConfiguration(config);
            server.setSecurityManager(users);
            server.start();
            return new SiteBroker(site, siteData, server, users, vmId, ANY.equals(listen) ? LOOPBACK : listen, tcpPort);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the " + site + " broker in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String site() {
        return site;
    }

    /** In-JVM access as {@code role}. */
    public BrokerAccess access(BrokerRole role) {
        return access(role.user());
    }

    /** In-JVM access as {@code user}, e.g. a tenant's worker ({@link BrokerRole#workerOf}). */
    public BrokerAccess access(String user) {
        return new BrokerAccess("vm://" + vmId, user, users.password(user));
    }

    /** Access over TCP and TLS as {@code role}, as a client on this machine would have it. */
    public BrokerAccess tcpAccess(BrokerRole role) {
        return tcpAccess(role.user());
    }

    /** Access over TCP and TLS as {@code user}. */
    public BrokerAccess tcpAccess(String user) {
        return BrokerAccess.of(tcpUrl(), user, users.password(user), siteData);
    }

    /**
     * Stops the broker and starts it again on the same journal, acceptors and users, as after a crash and
     * restart of its machine: its clients see it go and come back at the same addresses.
     */
    public void restart() {
        try {
            server.stop();
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the " + site + " broker: " + e.getMessage(), e);
        }
    }

    /** The TCP port it listens on, 0 for in-JVM access only. */
    public int tcpPort() {
        return tcpPort;
    }

    public String tcpUrl() {
        if (tcpPort <= 0) {
            throw new IllegalStateException("the " + site + " broker has no TCP acceptor");
        }
        return "tcp://" + tcpHost + ":" + tcpPort;
    }

    /**
     * The TLS parameters of the TCP acceptor: a fresh server certificate from the site's CA in a key
     * store only this process can read, and the CA in a trust store for the site's clients.
     */
    private static String tls(String site, Path dir, SiteData siteData, String listen) {
        InternalCa ca = InternalCa.loadOrCreate(siteData.tls(), site, Clock.systemUTC());
        ca.writeTrustStore(siteData.brokerTrustStore(), BrokerAccess.TRUST_STORE_PASSWORD.toCharArray());
        String password = UUID.randomUUID().toString();
        Path keyStore = dir.resolve("tls-acceptor.p12");
        ca.writeServerKeyStore(certificateNames(listen), keyStore, password.toCharArray());
        // TCP buffers left to the kernel's autotuning: Artemis's fixed 1 MiB would cap a long fat link below its bandwidth
        return "sslEnabled=true&keyStorePath=" + keyStore + "&keyStorePassword=" + password + "&keyStoreType=PKCS12"
                + "&tcpSendBufferSize=-1&tcpReceiveBufferSize=-1";
    }

    /** A queue whose messages are offered again after {@code firstDelayMillis}, doubling to 10 s, however often that takes. */
    private static AddressSettings retriedUntilItWorks(long firstDelayMillis) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(Addresses.DEAD))
                .setExpiryAddress(SimpleString.of(Addresses.EXPIRED))
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(firstDelayMillis)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(10_000);
    }

    /** The names the acceptor's certificate carries: loopback, and the address it listens on (every address of this machine for 0.0.0.0). */
    private static List<String> certificateNames(String listen) {
        Set<String> names = new LinkedHashSet<>(List.of(LOOPBACK, "localhost"));
        if (ANY.equals(listen)) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    nic.inetAddresses().filter(Inet4Address.class::isInstance).forEach(address -> names.add(address.getHostAddress()));
                }
            } catch (SocketException e) {
                throw new IllegalStateException("cannot list this machine's addresses for the broker's certificate: " + e.getMessage(), e);
            }
        } else {
            names.add(listen);
        }
        return List.copyOf(names);
    }

    /** The clients connected now, each as its remote address and user: what a test expects gone once its roles stop. */
    public List<String> clients() {
        return server.getActiveMQServer().getRemotingService().getConnections().stream()
                .filter(connection -> !connection.isDestroyed())
                .map(connection -> connection.getRemoteAddress() + " (" + connection.getClientID() + ")").toList();
    }

    /** Messages waiting in {@code queue}, scheduled ones included; 0 when it does not exist yet. */
    public long depth(String queue) {
        Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessageCount();
    }

    /**
     * Gauges {@code outpost.queue.depth} (tags {@code site}, {@code queue}) for the site's queues, and
     * {@code outpost.dead.letters} (tags {@code site}, {@code kind}) for what its dead queue holds, read from the broker.
     */
    public void measureQueues(MeterRegistry registry) {
        for (String queue : List.of(Addresses.REQUESTS, Addresses.LINK_OUTBOUND, Addresses.LINK_INBOUND, Addresses.DEAD)) {
            Gauge.builder("outpost.queue.depth", this, broker -> broker.depth(queue))
                    .description("Messages waiting in a queue of a site's broker, scheduled ones included")
                    .tag("site", site).tag("queue", queue).register(registry);
        }
        DeadLetterCounts dead = new DeadLetterCounts(() -> server.getActiveMQServer().locateQueue(SimpleString.of(Addresses.DEAD)), Clock.systemUTC());
        for (String kind : DeadLetters.KINDS) {
            Gauge.builder("outpost.dead.letters", dead, counts -> counts.of(kind))
                    .description("Messages in a site's dead queue, by the kind of failure that put them there")
                    .tag("site", site).tag("kind", kind).strongReference(true).register(registry);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the " + site + " broker", e);
        }
    }
}
