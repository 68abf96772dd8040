package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.cli.OneMachine;
import io.outpost.cli.OutpostCli;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.outpost.OutpostInventory;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Removable media: with the link down the whole time, an archive exported at the upstream for the
 * outpost's inventory and imported at the outpost converges it; a damaged or foreign archive changes nothing.
 */
class RemovableMediaIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;

    @Test
    void anArchiveMadeForTheOutpostsInventoryConvergesItWithTheLinkOff() throws Exception {
        OneMachine.Running running = startWithTheLinkDown();

        UpstreamGateway.Exported first = running.upstream().export(inventory(), sites.data().resolve("media/release-1.outpost"));
        assertThat(first.messages()).contains(MessageTypes.PROVIDER_PACKAGE, MessageTypes.IMAGE_BLOB, MessageTypes.IMAGE_CONTENT)
                .last().as("the ref moves last").isEqualTo(MessageTypes.GIT_BUNDLE);
        Ready imported = running.gateway().importArchive(first.archive()).get(60, TimeUnit.SECONDS);
        assertThat(imported.status()).as(imported.message()).isEqualTo(Ready.Status.UPDATED);
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "1"));

        running.origin().publishNext();
        UpstreamGateway.Exported second = running.upstream().export(inventory(), sites.data().resolve("media/release-2.outpost"));
        assertThat(second.messages()).as("the provider is held: the inventory said so").doesNotContain(MessageTypes.PROVIDER_PACKAGE);
        assertThat(second.bytes()).as("only the changed layer, not the whole image again").isLessThan(first.bytes() / 2);
        assertThat(running.gateway().importArchive(second.archive()).get(60, TimeUnit.SECONDS).status()).isEqualTo(Ready.Status.UPDATED);
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "2"));

        // the outpost's subscriptions are queued on the link, to arrive after the outage
        assertThat(running.link().totals().getOrDefault(LinkDirection.TO_OUTPOST.tag(), Map.of())).as("nothing came over the link").isEmpty();
    }

    @Test
    void aTruncatedTamperedOrForeignArchiveIsRefusedAndChangesNothing() throws Exception {
        OneMachine.Running running = startWithTheLinkDown();
        Path good = running.upstream().export(inventory(), sites.data().resolve("media/good.outpost")).archive();
        Path truncated = copy(good, "truncated.outpost");
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() * 2 / 3);
        }
        Path tampered = copy(good, "tampered.outpost");
        try (RandomAccessFile file = new RandomAccessFile(tampered.toFile(), "rw")) {
            // the middle of the archive is inside the 2 MiB layer, more than half of it
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x01);
        }
        UpstreamGateway impostor = UpstreamGateway.builder(OneMachine.OUTPOST_NAME, new SiteData(sites.data().resolve("impostor")))
                .repos(running.upstream().allowlist()).images(running.upstream().imageOrigins()).providers(running.upstream().providerOrigins())
                .tenants(running.upstream().tenants()).timing(running.upstream().timing()).pollEvery(Duration.ofHours(1)).build();
        Path foreign = impostor.export(inventory(), sites.data().resolve("media/foreign.outpost")).archive();

        assertThat(refusal(running, truncated)).contains("truncated");
        // a flipped byte shows as an entry whose sha256 differs, or as a gzip stream that no longer checks
        assertThat(refusal(running, tampered)).containsAnyOf("does not match the manifest", "damaged");
        assertThat(refusal(running, foreign)).contains("signature does not verify");
        assertThat(sites.data().resolve("outpost/git/" + OneMachine.CONFIG_REPO + ".git")).as("no repo").doesNotExist();
        assertThat(sites.data().resolve("outpost/registry-blobs.log")).as("no blob in the local registry").doesNotExist();
        assertThat(files(sites.data().resolve("outpost/providers"))).as("no provider package").isEmpty();
        assertThat(files(sites.data().resolve("outpost/import"))).as("nothing left unpacked").isEmpty();

        assertThat(running.gateway().importArchive(good).get(60, TimeUnit.SECONDS).status()).as("the intact archive applies")
                .isEqualTo(Ready.Status.UPDATED);
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "1"));
    }

    @Test
    void anOperatorCarriesAnUpdateWithTheCommandsAndSubscribes() throws Exception {
        OneMachine.Running running = startWithTheLinkDown();
        String data = sites.data().toString();
        Path inventory = sites.data().resolve("media/inventory.json");
        Path archive = sites.data().resolve("media/update.outpost");
        String broker = sites.outpost().access(BrokerRole.OPERATOR).url();

        assertThat(outpost("inventory", "--data", data, "--name", OneMachine.OUTPOST_NAME, "--out", inventory.toString(),
                "--repo", OneMachine.CONFIG_REPO)).isZero();
        assertThat(outpost("export", "--data", data, "--outpost", OneMachine.OUTPOST_NAME, "--for", inventory.toString(), "--out", archive.toString(),
                "--repo", OneMachine.CONFIG_REPO + "=" + running.origin().dir(), "--images", OneMachine.IMAGES + "=" + loop.origin.client().endpoint().url(),
                "--providers", OneMachine.PROVIDERS, "--provider-registry", DemoProviderRegistry.SOURCE.hostname() + "=" + running.providers().url(),
                "--modules", OneMachine.MODULES, "--module-registry", DemoModuleRegistry.HOSTNAME + "=" + running.modules().url()))
                .isZero();
        assertThat(outpost("import", inventory.toString(), "--data", data, "--broker", broker, "--name", OneMachine.OUTPOST_NAME))
                .as("not an archive").isEqualTo(1);
        assertThat(outpost("import", archive.toString(), "--data", data, "--broker", broker, "--name", OneMachine.OUTPOST_NAME)).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "1"));

        assertThat(outpost("subscribe", "team-config", "--data", data, "--broker", broker, "--name", OneMachine.OUTPOST_NAME)).isZero();
        assertThat(sites.data().resolve("outpost/subscriptions.txt")).content().isEqualTo("team-config\n");
        assertThat(outpost("subscribe", "../etc", "--data", data, "--broker", broker)).as("not a repo name").isEqualTo(1);
    }

    private static int outpost(String... args) {
        return OutpostCli.commandLine().execute(args);
    }

    private OneMachine.Running startWithTheLinkDown() throws Exception {
        LinkSettings down = new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0, null,
                OutageSchedule.parse("down " + Instant.now().minusSeconds(60) + "+PT24H", Duration::parse), null);
        return new OneMachine(sites.data(), new OneMachine.DemoSettings(down, null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20),
                Journeys.TERRAFORM, loop.registries(), SyncMode.PUSH),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());
    }

    private Inventory inventory() {
        return new OutpostInventory(OneMachine.OUTPOST_NAME, new DataDirectory(sites.data()).outpost(), Clock.systemUTC())
                .take(Tenants.OUTPOST, List.of(OneMachine.CONFIG_REPO), List.of("refs/heads/main"));
    }

    private static String refusal(OneMachine.Running running, Path archive) throws Exception {
        Ready answer = running.gateway().importArchive(archive).get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.message()).isEqualTo(Ready.Status.FAILED);
        assertThat(answer.message()).contains("nothing applied");
        return answer.message();
    }

    private Path copy(Path archive, String name) throws IOException {
        return Files.copy(archive, archive.resolveSibling(name));
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static boolean converged(OneMachine.Running running, String release) {
        List<RunRecord> last = running.runner().history().last(1);
        return !last.isEmpty() && last.get(0).outcome() == RunOutcome.CONVERGED && release.equals(last.get(0).outputs().get("release"));
    }
}
