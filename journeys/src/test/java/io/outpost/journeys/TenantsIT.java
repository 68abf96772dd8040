package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.cli.OneMachine;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.OutpostInventory;
import io.outpost.gateway.outpost.git.GitReaders;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.iacworker.GatewayClient;
import io.outpost.iacworker.IacWorker;
import io.outpost.iacworker.ProviderMirrorAccess;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.Stack;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.GitUpToDate;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryException;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoImages;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two teams share one outpost: blue is granted the demo's config and images upstream, green is granted
 * nothing. Blue converges in its own namespace; green's worker, connected as green, gets refusals and
 * nothing of blue's; the outpost's own namespace cannot write into blue's.
 */
class TenantsIT {
    private static final String BLUE = "blue";
    private static final String GREEN = "green";
    private static final LinkSettings UP = new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0);

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries(List.of(BLUE, GREEN));
    private final TwoSites sites = loop.sites;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void eachTenantGetsOnlyWhatItIsGrantedInANamespaceOfItsOwn() throws Exception {
        OneMachine.Running running = start(UP, SyncMode.PULL, List.of(BLUE, GREEN), new SimpleMeterRegistry());
        Path outpostData = sites.data().resolve("outpost");

        RunRecord blue = running.runner().run(StackRunner.SCHEDULED);

        assertThat(blue.outcome()).as(String.valueOf(blue.error())).isEqualTo(RunOutcome.CONVERGED);
        String image = blue.outputs().get("image");
        assertThat(image).as("the config names the registry with blue's prefix").startsWith(outpost.address() + "/blue/" + DemoImages.REPOSITORY + "@sha256:");
        String digest = image.substring(image.indexOf('@') + 1);
        assertThat(outpost.client().hasManifest("blue/" + DemoImages.REPOSITORY, digest)).isTrue();
        assertThat(outpost.client().hasManifest(DemoImages.REPOSITORY, digest)).as("nothing in the outpost's own namespace").isFalse();
        assertThat(outpostData.resolve("tenants/blue/git/" + OneMachine.CONFIG_REPO + ".git")).isDirectory();
        assertThat(outpostData.resolve("git/" + OneMachine.CONFIG_REPO + ".git")).doesNotExist();

        // the registry front: each tenant's reader reads its own namespace only; nobody reads without signing in
        assertThatThrownBy(() -> front(running, null).manifest("blue/" + DemoImages.REPOSITORY, digest))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(front(running, BLUE).manifest("blue/" + DemoImages.REPOSITORY, digest).digest()).isEqualTo(digest);
        assertThatThrownBy(() -> front(running, GREEN).manifest("blue/" + DemoImages.REPOSITORY, digest))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(403)).hasMessageContaining("reads only");

        // green's worker, connected as green, runs the same config: upstream refuses, green's namespace stays empty
        CamelContext green = sites.camelAs(BrokerRole.workerOf(GREEN));
        List<Ready> heardByGreen = listen(green, GREEN);
        StackRunner greenWorker = IacWorker.builder(new SiteData(outpostData), new Stack("green-demo", OneMachine.CONFIG_REPO, DemoOrigin.BRANCH),
                        new ProviderMirrorAccess(running.outpost().providerMirror(), running.outpost().caCertificate()), Journeys.TERRAFORM)
                .outpost(OneMachine.OUTPOST_NAME).tenant(GREEN).localRegistry(outpost.client().endpoint())
                .firstRunAfter(Duration.ofHours(1)).runEvery(Duration.ofHours(1)).syncWait(Duration.ofSeconds(20)).build().install(green).runner();
        RunRecord refused = greenWorker.run(StackRunner.SCHEDULED);

        assertThat(refused.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(refused.error()).contains("not on the allowlist of tenant 'green'");
        assertThat(outpostData.resolve("tenants/green/git/" + OneMachine.CONFIG_REPO + ".git")).doesNotExist();
        Ready greenImage = ask(green, GREEN, client -> client.pull(DemoImages.REPOSITORY, "r1", ImagePull.DEFAULT_PLATFORM));
        assertThat(greenImage.status()).isEqualTo(Ready.Status.FAILED);
        assertThat(greenImage.message()).contains("not on the allowlist of tenant 'green'");
        Ready greenAsksForBlues = ask(green, GREEN, client -> client.pull("blue/" + DemoImages.REPOSITORY, "r1", ImagePull.DEFAULT_PLATFORM));
        assertThat(greenAsksForBlues.status()).as("green's 'blue/...' is in green's namespace, and not granted").isEqualTo(Ready.Status.FAILED);

        // the outpost's own namespace may not reach into blue's
        Ready ownIntoBlue = ask(sites.camel(), Tenants.OUTPOST, client -> client.pull("blue/" + DemoImages.REPOSITORY, "r1", ImagePull.DEFAULT_PLATFORM));
        assertThat(ownIntoBlue.status()).isEqualTo(Ready.Status.FAILED);
        assertThat(ownIntoBlue.message()).contains("namespace of tenant 'blue'");

        assertThat(outpost.client().hasManifest("blue/" + DemoImages.REPOSITORY, digest)).isTrue();
        assertThat(outpost.client().hasManifest(DemoImages.REPOSITORY, digest)).isFalse();
        assertThat(outpost.client().hasManifest("green/" + DemoImages.REPOSITORY, digest)).isFalse();
        assertThat(outpost.client().hasManifest("green/blue/" + DemoImages.REPOSITORY, digest)).isFalse();
        // an answer for a tenant this gateway does not have, signed by the real upstream, is refused whole with its reason
        Envelope forRed = Envelope.request(MessageTypes.GIT_SYNC, OneMachine.OUTPOST_NAME, "red", Messages.headers(new GitSync(OneMachine.CONFIG_REPO,
                List.of(), Map.of())), Instant.now(), Duration.ofHours(1)).reply(MessageTypes.GIT_UP_TO_DATE,
                Messages.headers(new GitUpToDate(OneMachine.CONFIG_REPO, Map.of())), null, Instant.now());
        byte[] signed = new LinkFrames(sites.data(), OneMachine.OUTPOST_NAME, Chunk.SIZE).signedByUpstream(sites.data(), forRed);
        sites.camel().createProducerTemplate().sendBodyAndHeaders("outpost:queue:" + Addresses.LINK_INBOUND, signed,
                Map.of(Addresses.TYPE, MessageTypes.GIT_UP_TO_DATE));
        Exchange dead = sites.camel().createConsumerTemplate().receive("outpost:queue:" + Addresses.DEAD, 10_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getIn().getHeader(Addresses.REJECT_REASON, String.class)).contains("tenant 'red', which this outpost gateway does not have");

        assertThat(heardByGreen).as("green heard its refusals").anyMatch(event -> event.subject().equals(OneMachine.CONFIG_REPO))
                .as("and nothing of blue's").noneMatch(event -> event.status() != Ready.Status.FAILED
                        && (event.subject().equals(OneMachine.CONFIG_REPO) || event.subject().contains(DemoImages.REPOSITORY)));
    }

    /** A client of the registry front signed in as {@code tenant}'s reader, or anonymous for null. */
    private RegistryClient front(OneMachine.Running running, String tenant) throws Exception {
        String login = "";
        if (tenant != null) {
            String user = GitReaders.userOf(tenant);
            String password = Files.readString(new SiteData(sites.data().resolve("outpost")).gitPassword(user)).strip();
            login = user + ":" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "@";
        }
        return new RegistryClient(RegistryEndpoint.of("https://" + login + running.outpost().registryFront()).trusting(running.outpost().caCertificate()));
    }

    @Test
    void aTenantsReleasesConvergeAndItsNextImageReusesItsOwnBlobs() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OneMachine.Running running = start(UP, SyncMode.PULL, List.of(BLUE), meters);
        assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);

        running.origin().publishNext();
        RunRecord second = running.runner().run(StackRunner.SCHEDULED);

        assertThat(second.outcome()).as(String.valueOf(second.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(second.outputs()).containsEntry("release", "2");
        String image = second.outputs().get("image");
        assertThat(outpost.client().hasManifest("blue/" + DemoImages.REPOSITORY, image.substring(image.indexOf('@') + 1))).isTrue();
        assertThat(meters.get("outpost.image.bytes.reused").counter().count()).as("release 2's base layers were blue's already, not sent again")
                .isGreaterThan(0);
        assertThat(meters.get("outpost.requests").tag("kind", "git").tag("namespace", BLUE).counter().count()).as("blue's syncs, counted as blue's")
                .isEqualTo(2);
    }

    @Test
    void aTenantsSubscriptionIsPushedIntoItsNamespace() throws Exception {
        OneMachine.Running running = start(UP, SyncMode.PUSH, List.of(BLUE), new SimpleMeterRegistry());

        // the update applied wakes the worker: no request, no scheduled run
        await().atMost(Duration.ofSeconds(60)).until(() -> running.runner().history().last(1).stream()
                .anyMatch(run -> run.outcome() == RunOutcome.CONVERGED && "1".equals(run.outputs().get("release"))));

        assertThat(sites.data().resolve("outpost/tenants/blue/git/" + OneMachine.CONFIG_REPO + ".git")).isDirectory();
        Path subscriptions = new DataDirectory(sites.data()).upstream().outpost(OneMachine.OUTPOST_NAME).subscriptions();
        assertThat(subscriptions.resolve("tenants/blue/" + OneMachine.CONFIG_REPO + ".json")).isRegularFile();
        assertThat(subscriptions.resolve(OneMachine.CONFIG_REPO + ".json")).doesNotExist();
        assertThat(sites.data().resolve("outpost/git/" + OneMachine.CONFIG_REPO + ".git")).doesNotExist();
    }

    @Test
    void anArchiveForATenantsInventoryFillsItsNamespaceAndOnlyWhatItIsGranted() throws Exception {
        LinkSettings down = new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0, null,
                OutageSchedule.parse("down " + Instant.now().minusSeconds(60) + "+PT24H", Duration::parse), null);
        OneMachine.Running running = start(down, SyncMode.PUSH, List.of(BLUE, GREEN), new SimpleMeterRegistry());
        OutpostInventory outpostData = new OutpostInventory(OneMachine.OUTPOST_NAME, new DataDirectory(sites.data()).outpost(), Clock.systemUTC());
        List<String> repo = List.of(OneMachine.CONFIG_REPO);

        UpstreamGateway.Exported forBlue = running.upstream().export(outpostData.take(BLUE, repo, List.of("refs/heads/main")),
                sites.data().resolve("media/blue.outpost"));
        UpstreamGateway.Exported forGreen = running.upstream().export(outpostData.take(GREEN, repo, List.of("refs/heads/main")),
                sites.data().resolve("media/green.outpost"));

        assertThat(forBlue.messages()).last().isEqualTo(MessageTypes.GIT_BUNDLE);
        assertThat(forGreen.messages()).as("green is granted nothing: its archive holds the refusal only").containsExactly(MessageTypes.ERROR);
        for (UpstreamGateway.Exported archive : List.of(forBlue, forGreen)) {
            Ready imported = ask(sites.camel(), Tenants.OUTPOST, client -> client.importArchive(archive.archive()));
            assertThat(imported.status()).as(imported.message()).isEqualTo(Ready.Status.UPDATED);
        }
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(run.outputs().get("image")).startsWith(outpost.address() + "/blue/");
        assertThat(sites.data().resolve("outpost/tenants/blue/git/" + OneMachine.CONFIG_REPO + ".git")).isDirectory();
        assertThat(sites.data().resolve("outpost/tenants/green/git/" + OneMachine.CONFIG_REPO + ".git")).doesNotExist();
        assertThat(sites.data().resolve("outpost/git/" + OneMachine.CONFIG_REPO + ".git")).doesNotExist();
    }

    /** The demo's loop on the test's sites, its worker in the first tenant's namespace. */
    private OneMachine.Running start(LinkSettings link, SyncMode mode, List<String> tenants, SimpleMeterRegistry meters) throws Exception {
        return new OneMachine(sites.data(), new OneMachine.DemoSettings(link, null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20),
                Journeys.TERRAFORM, loop.registries(), mode).withTenants(tenants), meters, OperatorEvents.printingTo(System.out, Clock.systemUTC()),
                Clock.systemUTC()).install(sites.camel());
    }

    /** Ready events on {@code tenant}'s topic, as its workers hear them. */
    private static List<Ready> listen(CamelContext camel, String tenant) throws Exception {
        List<Ready> heard = new CopyOnWriteArrayList<>();
        EnvelopeCodec codec = new EnvelopeCodec(IacWorker.MAX_MESSAGE_BYTES);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:topic:" + Addresses.ready(tenant)).process(exchange ->
                        heard.add(Messages.read(codec.decode(exchange.getIn().getMandatoryBody(byte[].class)), Ready.class)));
            }
        });
        return heard;
    }

    /**
     * Asks on {@code tenant}'s queue until its topic answers: the topic subscription starts asynchronously,
     * and a request is idempotent, so asking again is safe.
     */
    private static Ready ask(CamelContext camel, String tenant, Function<GatewayClient, CompletableFuture<Ready>> request) throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(IacWorker.MAX_MESSAGE_BYTES);
        GatewayClient client = new GatewayClient(GatewayClient.RequestQueue.of(camel.createProducerTemplate(), tenant), codec, OneMachine.OUTPOST_NAME,
                Clock.systemUTC());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:topic:" + Addresses.ready(tenant)).process(exchange ->
                        client.complete(Messages.read(codec.decode(exchange.getIn().getMandatoryBody(byte[].class)), Ready.class)));
            }
        });
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                return request.apply(client).get(1, TimeUnit.SECONDS);
            } catch (TimeoutException notYet) {
                return null;
            }
        }, Objects::nonNull);
    }
}
