package io.outpost.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.cli.OneMachine;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.ImageOrigins;
import io.outpost.gateway.upstream.ProviderOrigins;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.LinkFaults;
import io.outpost.link.LinkSettings;
import io.outpost.link.OutageSchedule;
import io.outpost.link.SimulatedLink;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.TestImages;
import io.outpost.site.BrokerAccess;
import io.outpost.site.BrokerRole;
import io.outpost.site.OperatorEvents;
import io.outpost.site.SiteBroker;
import io.outpost.site.SiteJms;
import io.outpost.site.TransferTiming;
import io.outpost.transfer.TransferProgress;
import io.outpost.transfer.TransferReceiver;
import io.outpost.gateway.upstream.TenantAllowlists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability: the outpost site's broker is a real standalone Artemis pair (primary and backup with
 * replication) outside the test JVM. The primary is killed in the middle of an image transfer; the
 * gateway and the link fail over to the backup, and the image arrives whole, applied once.
 */
class BrokerFailoverTest {
    private static final long LAYER = 8L * 1024 * 1024;
    private static final String PASSWORD = "failover-test";

    @RegisterExtension
    final LocalRegistry origin = new LocalRegistry();
    @RegisterExtension
    final LocalRegistry outpost = new LocalRegistry();
    @TempDir
    Path data;
    private StandaloneArtemis primary;
    private StandaloneArtemis backup;
    private SiteBroker upstream;
    private CamelContext camel;

    @Test
    void thePrimaryBrokerKilledMidTransferFailsOverToTheBackupAndTheImageArrivesAppliedOnce() throws Exception {
        TestImages images = new TestImages(origin.client(), Files.createDirectories(data.resolve("scratch")));
        Manifest image = images.image("demo/big", "v1", images.config("demo/big", "{}"), List.of(images.layer("demo/big", 9, LAYER)));
        int primaryPort = LocalPorts.free();
        int backupPort = LocalPorts.free();
        primary = StandaloneArtemis.replicated(data.resolve("artemis/primary"), "primary", primaryPort, backupPort, false, "gateway", PASSWORD);
        backup = StandaloneArtemis.replicated(data.resolve("artemis/backup"), "backup", backupPort, primaryPort, true, "gateway", PASSWORD);
        primary.start();
        primary.awaitLog("AMQ221007", Duration.ofSeconds(60));
        backup.start();
        backup.awaitLog("AMQ221031", Duration.ofSeconds(60));

        OneMachine.exchangeKeys(data, "polar-1");
        upstream = SiteBroker.start("upstream", data.resolve("upstream/broker"), 0);
        camel = new DefaultCamelContext();
        camel.addComponent("outpost", SiteJms.component(new BrokerAccess("(" + primary.url() + "," + backup.url()
                + ")?ha=true&reconnectAttempts=-1&retryInterval=200&retryIntervalMultiplier=1.5&maxRetryInterval=2000", "gateway", PASSWORD)));
        camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
        camel.start();
        TransferTiming timing = TransferTiming.forRoundTrip(Duration.ofMillis(200));
        new SimulatedLink(data.resolve("link"), new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 2_000_000, LinkFaults.NONE,
                OutageSchedule.alwaysUp(), 1L), new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
        new UpstreamGateway("polar-1", data.resolve("upstream"), new Allowlist(Map.of()), new ImageOrigins(Map.of("demo/**", origin.client().endpoint())),
                ProviderOrigins.none(), TenantAllowlists.none(), OneMachine.CHUNK_SIZE, timing, Duration.ofHours(1), new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
        List<String> events = new CopyOnWriteArrayList<>();
        OperatorEvents printing = OperatorEvents.printingTo(System.out, Clock.systemUTC());
        new OutpostGateway("polar-1", data.resolve("outpost"), outpost.client().endpoint(), OneMachine.CHUNK_SIZE, timing, Duration.ofHours(1),
                Duration.ofHours(1), 0, List.of(), List.of(), line -> {
                    events.add(line);
                    printing.emit(line);
                }, new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);

        Journeys.askForImage(camel, "polar-1", "demo/big", "v1");
        TransferReceiver transfers = new TransferReceiver(data.resolve("outpost/transfers"), new EnvelopeCodec(OneMachine.CHUNK_SIZE));
        await().atMost(Duration.ofSeconds(60)).until(() -> oneThirdThere(transfers.inProgress()));
        long heldAtKill = transfers.inProgress().get(0).receivedBytes();
        primary.kill();

        backup.awaitLog("AMQ221007", Duration.ofSeconds(60));
        System.out.printf("primary killed with %d of %d layer bytes at the outpost%n", heldAtKill, LAYER);
        assertThat(heldAtKill).as("killed mid-transfer").isLessThan(LAYER);
        await().atMost(Duration.ofSeconds(120)).until(() -> outpost.client().hasManifest("demo/big", "v1"));
        assertThat(outpost.client().manifest("demo/big", "v1").digest()).isEqualTo(image.digest());
        assertThat(events.stream().filter(line -> line.startsWith("<- ImageBlob demo/big") && line.endsWith("8.0 MiB"))).as("the layer, pushed once")
                .hasSize(1);
        assertThat(events.stream().filter(line -> line.startsWith("<- ImageContent demo/big:v1") && line.contains("in the local registry")))
                .as("the image, applied once").hasSize(1);
        assertThat(Files.readString(backup.log())).as("the backup took over").contains("AMQ221007");
    }

    private static boolean oneThirdThere(List<TransferProgress> progress) {
        return !progress.isEmpty() && progress.get(0).receivedBytes() * 3 >= progress.get(0).size();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (backup != null) {
            backup.close();
        }
        if (primary != null) {
            primary.close();
        }
    }
}
