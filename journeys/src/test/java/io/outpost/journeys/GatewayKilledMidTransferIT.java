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
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkTotal;
import io.outpost.link.OutageSchedule;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.protocol.transfer.TransferReport;
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
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outpost gateway, with the outpost broker it hosts, runs as its own process and is killed with
 * SIGKILL halfway through an image transfer. Restarted on the same data directory it completes the
 * transfer, and no chunk it held at the kill crosses the link again.
 */
class GatewayKilledMidTransferIT {
    private static final long LAYER = 12L * 1024 * 1024;

    @RegisterExtension
    final LocalRegistry origin = new LocalRegistry();
    @RegisterExtension
    final LocalRegistry outpost = new LocalRegistry();

    @TempDir
    Path data;
    private Process gateway;
    private SiteBroker upstream;
    private CamelContext camel;

    @Test
    void aGatewayKilledHalfwayResumesWithoutResendingWhatItHad() throws Exception {
        TestImages images = new TestImages(origin.client(), Files.createDirectories(data.resolve("scratch")));
        Manifest image = images.image("demo/big", "v1", images.config("demo/big", "{}"), List.of(images.layer("demo/big", 7, LAYER)));
        int port = LocalPorts.free();
        OneMachine.exchangeKeys(data, "polar-1");
        gateway = startGateway(port);
        upstream = SiteBroker.start("upstream", new DataDirectory(data).upstream(), 0);
        camel = new DefaultCamelContext();
        // the test plays the link and a worker: the gateway's own user may do both
        camel.addComponent("outpost", SiteJms.component(BrokerAccess.of("tcp://127.0.0.1:" + port + "?reconnectAttempts=300&retryInterval=200",
                BrokerRole.GATEWAY, null, new DataDirectory(data).outpost())));
        camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
        camel.start();
        LinkAccounting link = new SimulatedLink("polar-1", new DataDirectory(data), new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 3_000_000,
                LinkFaults.NONE, OutageSchedule.alwaysUp(), 1L), new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
        UpstreamGateway.builder("polar-1", new DataDirectory(data).upstream()).images(new ImageOrigins(Map.of("demo/**", origin.client().endpoint())))
                .timing(TransferTiming.forRoundTrip(Duration.ofMillis(200))).pollEvery(Duration.ofHours(1)).build().install(camel);

        List<Integer> crossed = recordChunksCrossingToTheOutpost();
        Journeys.askForImage(camel, "polar-1", "demo/big", "v1");
        TransferReceiver transfers = new TransferReceiver(data.resolve("outpost/transfers"), new EnvelopeCodec(Chunk.SIZE));
        await().atMost(Duration.ofSeconds(60)).until(() -> halfway(transfers.inProgress()));
        gateway.destroyForcibly().waitFor();
        TransferProgress atKill = transfers.inProgress().get(0);
        TransferReport heldAtKill = transfers.snapshot(atKill.transferId());
        gateway = startGateway(port);

        await().atMost(Duration.ofSeconds(90)).until(() -> outpost.client().hasManifest("demo/big", "v1"));
        assertThat(outpost.client().manifest("demo/big", "v1").digest()).isEqualTo(image.digest());
        LinkTotal chunks = link.totals().get("to-outpost").get(MessageTypes.CHUNK);
        int chunkCount = (int) ((LAYER + Chunk.SIZE - 1) / Chunk.SIZE);
        BitSet held = new BitSet();
        heldAtKill.received().forEach(range -> held.set(range.from(), range.to() + 1));
        System.out.printf("killed holding %d of %d chunks; %d chunk messages crossed in all%n", held.cardinality(), chunkCount, chunks.messages());
        assertThat(held.cardinality()).as("killed about halfway").isBetween(chunkCount / 3, chunkCount - 2);
        held.stream().forEach(index -> assertThat(crossed.stream().filter(i -> i == index).count())
                .as("chunk %d, held at the kill, crossed once", index).isEqualTo(1));
    }

    /** The index of every chunk the link carries to the outpost, in order. */
    private List<Integer> recordChunksCrossingToTheOutpost() throws Exception {
        LinkFrames frames = new LinkFrames(data, "polar-1", Chunk.SIZE);
        List<Integer> crossed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(camel, "link-to-outpost", route -> route.weaveAddLast().process(exchange -> {
            Envelope envelope = frames.decode(exchange.getIn().getBody(byte[].class));
            if (envelope.type().equals(MessageTypes.CHUNK)) {
                crossed.add(envelope.headers().path("index").asInt());
            }
        }));
        return crossed;
    }

    private static boolean halfway(List<TransferProgress> progress) {
        return !progress.isEmpty() && progress.get(0).receivedBytes() * 2 >= progress.get(0).size();
    }

    private Process startGateway(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.outpost.cli.OutpostCli",
                "outpost-gateway", "--data", data.toString(), "--name", "polar-1", "--broker-port", String.valueOf(port), "--provider-mirror-port", "0", "--git-listen", "127.0.0.1:0",
                "--registry", outpost.client().endpoint().url().toString(), "--link-round-trip", "200ms")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("gateway.log").toFile())).start();
        LocalPorts.awaitListening(port, Duration.ofSeconds(30));
        return process;
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        if (upstream != null) {
            upstream.close();
        }
    }
}
