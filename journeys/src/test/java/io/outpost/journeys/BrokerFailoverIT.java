package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.link.OutageSchedule;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.TestImages;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
class BrokerFailoverIT {
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
        upstream = SiteBroker.start("upstream", new DataDirectory(data).upstream(), 0);
        camel = new DefaultCamelContext();
        camel.addComponent("outpost", SiteJms.component(new BrokerAccess("(" + primary.url() + "," + backup.url()
                + ")?ha=true&reconnectAttempts=-1&retryInterval=200&retryIntervalMultiplier=1.5&maxRetryInterval=2000", "gateway", PASSWORD)));
        camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
        camel.start();
        TransferTiming timing = TransferTiming.forRoundTrip(Duration.ofMillis(200));
        new SimulatedLink("polar-1", new DataDirectory(data), new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 2_000_000, LinkFaults.NONE,
                OutageSchedule.alwaysUp(), 1L), new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
        UpstreamGateway.builder("polar-1", new DataDirectory(data).upstream()).images(new ImageOrigins(Map.of("demo/**", origin.client().endpoint())))
                .timing(timing).pollEvery(Duration.ofHours(1)).build().install(camel);
        RecordedEvents events = new RecordedEvents("outpost gateway");
        OutpostGateway.builder("polar-1", new DataDirectory(data).outpost()).localRegistry(outpost.client().endpoint()).timing(timing)
                .resendAfter(Duration.ofHours(1)).events(events).build().install(camel);

        Journeys.askForImage(camel, "polar-1", "demo/big", "v1");
        TransferReceiver transfers = new TransferReceiver(data.resolve("outpost/transfers"), new EnvelopeCodec(Chunk.SIZE));
        await().atMost(Duration.ofSeconds(60)).until(() -> oneThirdThere(transfers.inProgress()));
        long heldAtKill = transfers.inProgress().get(0).receivedBytes();
        primary.kill();

        backup.awaitLog("AMQ221007", Duration.ofSeconds(60));
        System.out.printf("primary killed with %d of %d layer bytes at the outpost%n", heldAtKill, LAYER);
        assertThat(heldAtKill).as("killed mid-transfer").isLessThan(LAYER);
        await().atMost(Duration.ofSeconds(120)).until(() -> outpost.client().hasManifest("demo/big", "v1"));
        assertThat(outpost.client().manifest("demo/big", "v1").digest()).isEqualTo(image.digest());
        assertThat(events.applied(MessageTypes.IMAGE_BLOB, "demo/big")).filteredOn(blob -> blob.bytes() == LAYER).as("the layer, pushed once")
                .hasSize(1);
        assertThat(events.applied(MessageTypes.IMAGE_CONTENT, "demo/big:v1")).as("the image, applied once").hasSize(1);
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
