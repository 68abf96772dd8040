package io.outpost.gateway.outpost.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.content.Digests;
import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import io.outpost.content.provider.PackageHashes;
import io.outpost.content.provider.ProviderPlatform;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.InFlightRequests;
import io.outpost.gateway.outpost.LocalContent;
import io.outpost.gateway.outpost.OutpostHoldings;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.data.SiteData;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.GitBundle;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ProviderPackage;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle that arrives before what its commit needs waits; a provider sent ahead of it, unasked, has
 * no ready event of its own, so storing it must release the bundle (the link may reorder them).
 */
class ParkedBundleTest {
    private static final String MAIN = "refs/heads/main";
    private static final String PROVIDER = "example.org/team/thing";

    @TempDir
    Path dir;
    private ProviderMirror providers;
    private LocalRemotes remotes;

    @BeforeEach
    void outpost() {
        providers = new ProviderMirror(dir.resolve("providers"));
        remotes = new LocalRemotes(dir.resolve("git"), Clock.systemUTC());
    }

    @Test
    void aBundleThatOvertookTheProviderSentAheadOfItMovesOnceTheProviderIsStored() throws Exception {
        Map<String, String> tips = originBundle();
        List<Ready> told = new CopyOnWriteArrayList<>();
        OutpostGitSync git = gitSync(told);
        Envelope answer = Envelope.request(MessageTypes.GIT_SYNC, "polar-1", Messages.headers(new GitSync("infra", List.of(MAIN), Map.of())),
                        Clock.systemUTC().instant(), Duration.ofHours(1))
                .reply(MessageTypes.GIT_BUNDLE, Messages.headers(new GitBundle("infra", tips, List.of(), List.of(PROVIDER + " ~> 2.0"), List.of(), "", null)), null,
                        Clock.systemUTC().instant());

        git.answer(new Delivery(answer, dir.resolve("bundle")));
        assertThat(remotes.tips("infra", List.of(MAIN))).as("parked: the provider is still on the link").isEmpty();

        storeProvider("2.1.0");
        git.mirrorsStored();

        assertThat(remotes.tips("infra", List.of(MAIN))).isEqualTo(tips);
        assertThat(told).anyMatch(ready -> ready.subject().equals("infra") && ready.status() == Ready.Status.UPDATED);
    }

    @Test
    void aProviderThatDoesNotMeetTheConstraintReleasesNothing() throws Exception {
        Map<String, String> tips = originBundle();
        OutpostGitSync git = gitSync(new CopyOnWriteArrayList<>());
        git.answer(new Delivery(Envelope.request(MessageTypes.GIT_BUNDLE, "polar-1", Messages.headers(new GitBundle("infra", tips, List.of(),
                List.of(PROVIDER + " ~> 2.0"), List.of(), "", null)), Clock.systemUTC().instant(), Duration.ofHours(1)), dir.resolve("bundle")));

        storeProvider("1.9.0");
        git.mirrorsStored();

        assertThat(remotes.tips("infra", List.of(MAIN))).isEmpty();
    }

    /** The git flow of an outpost whose local remotes and provider mirror are under {@code dir}, telling {@code told}. */
    private OutpostGitSync gitSync(List<Ready> told) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutpostRequests requests = new OutpostRequests("polar-1", Tenants.OUTPOST, new InFlightRequests(Clock.systemUTC(), Duration.ofMinutes(1), meters,
                Tenants.OUTPOST), null, told::add, OperatorEvents.none(), meters, Clock.systemUTC(), Duration.ofHours(1));
        return new OutpostGitSync(remotes, new LocalContent(Optional.empty(), new BlobInventory(dir.resolve("blobs.json")), providers,
                new ModuleMirror(new SiteData(dir), Clock.systemUTC()), new OutpostHoldings(dir.resolve("holdings.log"), dir.resolve("holdings.seen")), List::of),
                dir.resolve("parked/this-gateway"), requests);
    }

    /** A one-commit origin and a bundle of it at {@code dir/bundle}; returns its tips. */
    private Map<String, String> originBundle() throws Exception {
        try (Git origin = Git.init().setDirectory(dir.resolve("origin").toFile()).setInitialBranch("main").call()) {
            Files.writeString(dir.resolve("origin/main.tf"), "terraform {}\n");
            origin.add().addFilepattern(".").call();
            origin.commit().setMessage("config").setSign(false).call();
        }
        OriginMirrors mirrors = new OriginMirrors(dir.resolve("mirrors"));
        mirrors.refresh("infra", new URIish(dir.resolve("origin").toUri().toURL()));
        Map<String, String> tips = mirrors.tips("infra", List.of(MAIN), RefPatterns.ALL);
        mirrors.writePack("infra", tips, Map.of(), dir.resolve("bundle"));
        return tips;
    }

    private void storeProvider(String version) throws Exception {
        Path zip = dir.resolve("thing-" + version + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("terraform-provider-thing_v" + version));
            out.write("binary".getBytes());
        }
        providers.put(new ProviderPackage(PROVIDER, version, ProviderPlatform.current(), Digests.sha256(zip), PackageHashes.h1(zip), Files.size(zip)), zip);
    }
}
