package io.outpost.broker;

import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.SiteJms;
import io.outpost.data.DataDirectory;
import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: a real outpost broker and a real upstream broker with journals in a temp data
 * directory, and Camel contexts wired to both ("outpost:" and "upstream:" components). Everything it
 * started is stopped after each test, brokers last, so no broker outlives its test.
 */
public final class TwoSites implements BeforeEachCallback, AfterEachCallback {
    private final List<String> tenants;
    private final boolean upstreamListens;
    private Path data;
    private SiteBroker outpost;
    private SiteBroker upstream;
    private final List<CamelContext> contexts = new ArrayList<>();
    private LeftBehind before;

    public TwoSites() {
        this(List.of());
    }

    /** Sites whose outpost broker has the users, queues and topics of {@code tenants}. */
    public TwoSites(List<String> tenants) {
        this(tenants, false);
    }

    private TwoSites(List<String> tenants, boolean upstreamListens) {
        this.tenants = List.copyOf(tenants);
        this.upstreamListens = upstreamListens;
    }

    /** Sites whose upstream broker also listens on a free TCP port on 127.0.0.1 (TLS), as it would for a real link. */
    public static TwoSites withUpstreamListening() {
        return new TwoSites(List.of(), true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        before = new LeftBehind();
        data = Files.createTempDirectory("outpost-test-");
        outpost = SiteBroker.start("outpost", new DataDirectory(data).outpost(), 0, tenants);
        upstream = startUpstream(upstreamListens ? freePort() : 0);
    }

    private SiteBroker startUpstream(int port) {
        return SiteBroker.start("upstream", new DataDirectory(data).upstream(), SiteBroker.LOOPBACK, port, List.of());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the upstream broker (its clients see it go) and starts it again on the same journal and addresses. */
    public void restartUpstream() {
        upstream.restart();
    }

    /** Stops what the test left running, brokers last, then fails it if anything it started is still there. */
    @Override
    public void afterEach(ExtensionContext context) {
        contexts.forEach(CamelContext::stop);
        contexts.clear();
        List<String> left = new ArrayList<>(LeftBehind.clientsOf("outpost", outpost));
        left.addAll(LeftBehind.clientsOf("upstream", upstream));
        try {
            outpost.close();
        } finally {
            try {
                upstream.close();
            } finally {
                // journals, registries' storage and repos take about 100 MB a test
                DurableFiles.deleteTree(data);
            }
        }
        left.addAll(before.processesAndThreads());
        if (!left.isEmpty()) {
            throw new AssertionError("the test left running what it started: " + String.join("; ", left));
        }
    }

    public Path data() {
        return data;
    }

    public SiteBroker outpost() {
        return outpost;
    }

    public SiteBroker upstream() {
        return upstream;
    }

    /** Stops every Camel context and both brokers, then starts the brokers again on the same journals. */
    public void restart() {
        contexts.forEach(CamelContext::stop);
        contexts.clear();
        outpost.close();
        upstream.close();
        outpost = SiteBroker.start("outpost", new DataDirectory(data).outpost(), 0, tenants);
        upstream = startUpstream(upstream.tcpPort());
    }

    /** A started Camel context running {@code routes} against both brokers. */
    public CamelContext camel(RoutesBuilder... routes) throws Exception {
        return camelAs(BrokerRole.GATEWAY.user(), routes);
    }

    /** The same, reaching the outpost broker as {@code outpostUser}, e.g. a tenant's worker. */
    public CamelContext camelAs(String outpostUser, RoutesBuilder... routes) throws Exception {
        CamelContext camel = notStarted(outpostUser);
        for (RoutesBuilder route : routes) {
            camel.addRoutes(route);
        }
        camel.start();
        return camel;
    }

    /** A context against both brokers that the test starts itself, once it has added and advised what it needs. */
    public CamelContext notStarted() throws Exception {
        return notStarted(BrokerRole.GATEWAY.user());
    }

    private CamelContext notStarted(String outpostUser) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        JmsComponent outpostJms = SiteJms.component(outpost.access(outpostUser));
        JmsComponent upstreamJms = SiteJms.component(upstream.access(BrokerRole.GATEWAY));
        camel.addComponent("outpost", outpostJms);
        camel.addComponent("upstream", upstreamJms);
        // the components' cached connections outlive the context unless closed with it
        camel.addService(new CloseOnStop(() -> SiteJms.closeConnections(outpostJms, upstreamJms)), true, true);
        contexts.add(camel);
        return camel;
    }
}
