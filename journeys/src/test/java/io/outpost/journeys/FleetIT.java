package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.broker.SiteBroker;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.DeadLetterQueue;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.DurableFiles;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.outpost.UpstreamRefused;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.fleet.Fleet;
import io.outpost.gateway.upstream.fleet.FleetStatus;
import io.outpost.gateway.upstream.fleet.ServedFleet;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.link.TransferTiming;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.link.trust.SeenFrames;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.ManifestContents;
import io.outpost.registry.RateLimitingProxy;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import io.outpost.txrxsim.origin.DemoImageKey;
import io.outpost.txrxsim.origin.DemoImages;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One upstream serves a fleet: three outposts, each with its own key, grants and subscriptions, on its own simulated link with
 * its own delay. A release converges at each outpost granted it; each blob is fetched from the origin registry once for the
 * whole fleet (the registry's front counts what the upstream asks of it); a repo an outpost is not granted is refused to it;
 * a frame signed by one outpost and addressed as another is refused; an outpost added while the upstream runs converges.
 */
class FleetIT {
    private static final String NOTES = "fleet-notes";
    private static final Duration UPDATE = Duration.ofSeconds(90);

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    @RegisterExtension
    final LocalRegistry bravoRegistry = new LocalRegistry();
    @RegisterExtension
    final LocalRegistry charlieRegistry = new LocalRegistry();
    private final TwoSites sites = loop.sites;
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopWhatTheTestStarted() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** One outpost of the fleet: its own data, broker, link and gateway; what it emitted. */
    private record Outpost(String name, Path data, RecordedEvents events) {
        String head(String repo) throws Exception {
            Path git = new DataDirectory(data).outpost().namespace(Tenants.OUTPOST).localRemote(repo);
            if (!Files.exists(git)) {
                return null;
            }
            try (Repository local = new FileRepositoryBuilder().setGitDir(git.toFile()).setBare().build()) {
                Ref main = local.exactRef(DemoOrigin.BRANCH);
                return main == null ? null : main.getObjectId().name();
            }
        }
    }

    /** The fleet's origins: a config repo whose releases pin a new image, a notes repo, and the provider and module registries. */
    private record Origins(DemoOrigin config, DemoOrigin notes, RateLimitingProxy front, DemoProviderRegistry providers, DemoModuleRegistry modules) {
    }

    private Origins origins() {
        DataDirectory layout = new DataDirectory(sites.data());
        // what the upstream asks of the origin registry goes through a front that records it
        RateLimitingProxy front = RateLimitingProxy.in(java.net.URI.create("http://" + loop.origin.address()));
        started.add(front);
        DemoImages images = new DemoImages(loop.origin.client(), layout.originImages(), Optional.empty(), DemoImageKey.loadOrCreate(layout.originImages()));
        DemoProviderRegistry providers = DemoProviderRegistry.start(layout.originProviders());
        started.add(providers);
        DemoModuleRegistry modules = DemoModuleRegistry.start(layout.originModules());
        started.add(modules);
        return new Origins(new DemoOrigin(layout.originGit().resolve(OneMachine.CONFIG_REPO + ".git"), images, Clock.systemUTC()),
                new DemoOrigin(layout.originGit().resolve(NOTES + ".git"), null, Clock.systemUTC()), front, providers, modules);
    }

    /** An upstream gateway in {@code camel} serving only what the fleet's files name (no outpost on its command line). */
    private ServedFleet upstream(CamelContext camel, Origins origins, MeterRegistry meters) throws Exception {
        return upstream(camel, origins, meters, UpstreamGateway.FLEET_AT_ONCE);
    }

    /** As {@link #upstream(CamelContext, Origins, MeterRegistry)}, taking {@code atOnce} outposts' messages at once. */
    private ServedFleet upstream(CamelContext camel, Origins origins, MeterRegistry meters, int atOnce) throws Exception {
        return UpstreamGateway.builder(null, new DataDirectory(sites.data()).upstream())
                .repos(new Allowlist(Map.of(OneMachine.CONFIG_REPO, new URIish(origins.config().dir().toUri().toURL()), NOTES,
                        new URIish(origins.notes().dir().toUri().toURL()))))
                .images(new ImageOrigins(Map.of(OneMachine.IMAGES, RegistryEndpoint.of(origins.front().url().toString()))))
                .providers(new ProviderOrigins(List.of(OneMachine.PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), origins.providers().url())))
                .modules(OneMachine.demoModules(origins.modules()))
                .timing(TransferTiming.forRoundTrip(Duration.ofMillis(600))).pollEvery(OneMachine.PUSH_POLL).atOnce(atOnce).meters(meters).build()
                .install(camel);
    }

    @Test
    void oneUpstreamServesThreeOutpostsEachWithinItsGrantsAndFetchesEachBlobOnce() throws Exception {
        DataDirectory layout = new DataDirectory(sites.data());
        Origins origins = origins();
        DemoOrigin config = origins.config();
        DemoOrigin notes = origins.notes();
        RateLimitingProxy front = origins.front();
        String release1 = config.current().commit();
        String notes1 = notes.current().commit();

        SiteKeys upstreamKeys = SiteKeys.loadOrCreate(layout.upstream().keys(), UpstreamGateway.SITE);
        Fleet fleet = new Fleet(layout.upstream());
        Outpost alpha = outpost("alpha", sites.data(), upstreamKeys);
        Outpost bravo = outpost("bravo", ownData("bravo"), upstreamKeys);
        fleet.add(keyOf(alpha), new TenantAllowlists.Grant(List.of(OneMachine.CONFIG_REPO, NOTES), List.of("demo/**")), Map.of());
        fleet.add(keyOf(bravo), new TenantAllowlists.Grant(List.of(OneMachine.CONFIG_REPO), List.of("demo/**")), Map.of());

        ServedFleet served = upstream(sites.camel(), origins, new SimpleMeterRegistry());
        start(alpha, sites.camel(), Duration.ofMillis(50), loop.outpost, List.of(OneMachine.CONFIG_REPO, NOTES));
        start(bravo, null, Duration.ofMillis(150), bravoRegistry, List.of(OneMachine.CONFIG_REPO));

        await().atMost(UPDATE).until(() -> release1.equals(alpha.head(OneMachine.CONFIG_REPO)) && release1.equals(bravo.head(OneMachine.CONFIG_REPO))
                && notes1.equals(alpha.head(NOTES)));
        assertThat(served.outposts()).containsExactly("alpha", "bravo");

        // added while the upstream runs, granted the notes only: it converges on them, and its subscription to the config is refused
        Outpost charlie = outpost("charlie", ownData("charlie"), upstreamKeys);
        fleet.add(keyOf(charlie), new TenantAllowlists.Grant(List.of(NOTES), List.of()), Map.of());
        start(charlie, null, Duration.ofMillis(300), charlieRegistry, List.of(NOTES, OneMachine.CONFIG_REPO));
        await().atMost(UPDATE).until(() -> notes1.equals(charlie.head(NOTES)) && charlie.events().of(UpstreamRefused.class).stream()
                .anyMatch(refused -> refused.code() == ErrorCode.FORBIDDEN && refused.subject().contains(OneMachine.CONFIG_REPO)));
        assertThat(charlie.head(OneMachine.CONFIG_REPO)).as("charlie is not granted the config repo").isNull();

        // release 2 pins a new image: pushed to alpha and bravo, each of its blobs read from the origin once
        String release2 = config.publishNext().commit();
        String notes2 = notes.publishNext().commit();
        await().atMost(UPDATE).until(() -> release2.equals(alpha.head(OneMachine.CONFIG_REPO)) && release2.equals(bravo.head(OneMachine.CONFIG_REPO))
                && notes2.equals(alpha.head(NOTES)) && notes2.equals(charlie.head(NOTES)));
        List<String> blobs = new ArrayList<>();
        for (String tag : List.of("r1", "r2")) {
            ManifestContents.of(loop.origin.client().manifest(DemoImages.REPOSITORY, tag)).blobs().forEach(blob -> blobs.add(blob.digest()));
        }
        List<String> reads = front.requests();
        assertThat(blobs.stream().distinct()).as("each blob of both releases read from the origin once, for two outposts")
                .allSatisfy(blob -> assertThat(reads.stream().filter(read -> read.equals("GET /v2/" + DemoImages.REPOSITORY + "/blobs/" + blob)))
                        .as(blob).hasSize(1));

        // a frame signed by alpha and addressed as bravo: refused, never answered to either
        byte[] misaddressed = signedBy(alpha, Envelope.request(MessageTypes.GIT_SYNC, "bravo", Messages.headers(new GitSync(OneMachine.CONFIG_REPO,
                List.of(DemoOrigin.BRANCH), Map.of())), Instant.now(), Duration.ofMinutes(5)));
        sites.camel().createProducerTemplate().sendBodyAndHeaders("upstream:queue:" + Addresses.LINK_INBOUND, misaddressed,
                Map.of(Addresses.TYPE, MessageTypes.GIT_SYNC));
        DeadLetterQueue dead = new DeadLetterQueue(sites.upstream().access(BrokerRole.OPERATOR));
        await().atMost(Duration.ofSeconds(20)).until(() -> !dead.list("addressed as outpost 'bravo'").isEmpty());
        assertThat(dead.list("addressed as outpost 'bravo'")).singleElement().extracting(DeadLetterQueue.DeadLetter::kind).isEqualTo("misaddressed");

        // the fleet at a glance, from the upstream's data directory: every outpost heard, holding the latest of what it follows
        await().atMost(Duration.ofSeconds(30)).until(() -> FleetStatus.read(layout.upstream()).stream().allMatch(outpost -> outpost.behind() == 0));
        List<FleetStatus.Outpost> status = FleetStatus.read(layout.upstream());
        assertThat(status).extracting(FleetStatus.Outpost::outpost).containsExactly("alpha", "bravo", "charlie");
        assertThat(status).allSatisfy(outpost -> {
            assertThat(outpost.served()).isEqualTo(FleetStatus.Served.SERVED);
            assertThat(outpost.lastHeard()).as(outpost.outpost()).isPresent();
        });
        assertThat(status.get(0).subscriptions()).extracting(FleetStatus.Repo::repo).containsExactlyInAnyOrder(OneMachine.CONFIG_REPO, NOTES);
        assertThat(status.get(2).subscriptions()).as("charlie's refused subscription is not recorded").extracting(FleetStatus.Repo::repo)
                .containsExactly(NOTES);

        // suspended while the upstream runs: no longer served, its state kept
        fleet.suspend("bravo", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> !served.outposts().contains("bravo"));
        assertThat(FleetStatus.read(layout.upstream()).get(1).served()).isEqualTo(FleetStatus.Served.SUSPENDED);
    }

    @Test
    void twoUpstreamGatewaysShareTheFleetEachOutpostOnOneAndLosingOneLosesNothing() throws Exception {
        DataDirectory layout = new DataDirectory(sites.data());
        Origins origins = origins();
        String release1 = origins.config().current().commit();
        SiteKeys upstreamKeys = SiteKeys.loadOrCreate(layout.upstream().keys(), UpstreamGateway.SITE);
        Fleet fleet = new Fleet(layout.upstream());
        List<Outpost> outposts = List.of(outpost("alpha", sites.data(), upstreamKeys), outpost("bravo", ownData("bravo"), upstreamKeys),
                outpost("charlie", ownData("charlie"), upstreamKeys));
        outposts.forEach(outpost -> fleet.add(keyOf(outpost), io.outpost.gateway.upstream.fleet.FleetMember.EVERYTHING, Map.of()));
        // two upstream gateways on one broker and one data directory, as two processes on a shared disk would be
        SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        CamelContext first = sites.camel();
        // one consumer each: Artemis hands new message groups to the queue's consumers in turn, so each gateway gets a share of three
        upstream(first, origins, firstMeters, 1);
        upstream(sites.camel(), origins, secondMeters, 1);
        start(outposts.get(0), sites.camel(), Duration.ofMillis(50), loop.outpost, List.of(OneMachine.CONFIG_REPO));
        start(outposts.get(1), null, Duration.ofMillis(100), bravoRegistry, List.of(OneMachine.CONFIG_REPO));
        start(outposts.get(2), null, Duration.ofMillis(150), charlieRegistry, List.of(OneMachine.CONFIG_REPO));

        await().atMost(UPDATE).until(() -> outposts.stream().allMatch(outpost -> release1.equals(head(outpost))));
        for (Outpost outpost : outposts) {
            List<Double> taken = List.of(accepted(firstMeters, outpost), accepted(secondMeters, outpost));
            assertThat(taken).as("%s's frames, taken by one gateway (meters: %s | %s)", outpost.name(), dump(firstMeters, outpost), dump(secondMeters, outpost))
                    .containsOnlyOnce(0.0).anyMatch(frames -> frames > 0);
        }
        assertThat(outposts.stream().filter(outpost -> accepted(firstMeters, outpost) > 0)).as("the first gateway's share of the fleet")
                .isNotEmpty().hasSizeLessThan(outposts.size());

        // the first gateway stops: the second takes its outposts' conversations, and release 2 reaches all three
        first.stop();
        String release2 = origins.config().publishNext().commit();
        await().atMost(UPDATE).until(() -> outposts.stream().allMatch(outpost -> release2.equals(head(outpost))));
        assertThat(outposts).allSatisfy(outpost -> assertThat(accepted(secondMeters, outpost)).as(outpost.name()).isPositive());
    }

    private static String head(Outpost outpost) {
        try {
            return outpost.head(OneMachine.CONFIG_REPO);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dump(MeterRegistry meters, Outpost outpost) {
        return meters.getMeters().stream().filter(meter -> outpost.name().equals(meter.getId().getTag("outpost")))
                .map(meter -> meter.getId().getName() + "=" + meter.measure().iterator().next().getValue()).toList().toString();
    }

    /** Frames one upstream gateway accepted from {@code outpost}. */
    private static double accepted(MeterRegistry meters, Outpost outpost) {
        var counter = meters.find("outpost.link.frames.accepted").tag("outpost", outpost.name()).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    /** A data directory of the outpost's own, removed after the test. */
    private Path ownData(String name) throws java.io.IOException {
        Path data = Files.createTempDirectory("outpost-" + name + "-");
        started.add(() -> DurableFiles.deleteTree(data));
        return data;
    }

    /** An outpost named {@code name} with its keys under {@code data}, trusting the upstream's. */
    private static Outpost outpost(String name, Path data, SiteKeys upstreamKeys) {
        SiteKeys keys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), name);
        TrustedKeys.of(keys).trust(upstreamKeys.publicKey());
        return new Outpost(name, data, new RecordedEvents(name));
    }

    private static io.outpost.link.trust.PublicKeyLine keyOf(Outpost outpost) {
        return SiteKeys.loadOrCreate(new DataDirectory(outpost.data()).outpost().keys(), outpost.name()).publicKey();
    }

    /**
     * The outpost's gateway and its simulated link to the upstream broker; in {@code camel} when given, else in a context of
     * its own with its own broker, reaching the upstream's as its link user.
     */
    private void start(Outpost outpost, CamelContext camel, Duration delay, LocalRegistry registry, List<String> repos) throws Exception {
        CamelContext context = camel;
        if (context == null) {
            SiteBroker own = SiteBroker.start("outpost", new DataDirectory(outpost.data()).outpost(), 0, List.of());
            started.add(own);
            context = new DefaultCamelContext();
            var outpostJms = SiteJms.component(own.access(BrokerRole.GATEWAY));
            var upstreamJms = SiteJms.component(sites.upstream().access(BrokerRole.LINK));
            context.addComponent("outpost", outpostJms);
            context.addComponent("upstream", upstreamJms);
            context.addService(new CloseOnStop(() -> SiteJms.closeConnections(outpostJms, upstreamJms)), true, true);
            context.start();
            started.add(context::stop);
        }
        new SimulatedLink(outpost.name(), new DataDirectory(outpost.data()), new LinkSettings(delay, Duration.ZERO, 0), new SimpleMeterRegistry(),
                Clock.systemUTC()).install(context);
        OutpostGateway.builder(outpost.name(), new DataDirectory(outpost.data()).outpost()).localRegistry(registry.client().endpoint())
                .timing(TransferTiming.forRoundTrip(delay.multipliedBy(2))).resendAfter(Duration.ofSeconds(10))
                .subscriptions(repos.stream().map(repo -> OutpostGateway.subscription(Tenants.OUTPOST, repo)).toList())
                .events(outpost.events()).build().install(context);
    }

    private static byte[] signedBy(Outpost outpost, Envelope envelope) {
        SiteKeys keys = SiteKeys.loadOrCreate(new DataDirectory(outpost.data()).outpost().keys(), outpost.name());
        try (SeenFrames seen = new SeenFrames(outpost.data().resolve("test-frames-sent.log"), Instant.now())) {
            return new FrameSignatures(keys, UpstreamGateway.SITE, TrustedKeys.of(keys), seen, Duration.ofDays(1), Clock.systemUTC())
                    .sign(new EnvelopeCodec(Chunk.SIZE).encode(envelope));
        }
    }
}
