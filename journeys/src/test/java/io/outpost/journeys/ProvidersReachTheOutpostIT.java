package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.broker.InternalCa;
import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.content.provider.LockFile;
import io.outpost.content.provider.PackageHashes;
import io.outpost.content.provider.ProviderPlatform;
import io.outpost.data.DurableFiles;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.Json;
import io.outpost.protocol.MessageTypes;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Terraform providers at the outpost: the demo config's {@code required_providers} resolves through the
 * outpost gateway's HTTPS mirror, filled over the link from the demo origin's provider registry.
 */
class ProvidersReachTheOutpostIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void initAtTheOutpostFindsTheProviderAfterOneRoundTripAndRecordsTheOriginsHashes() throws Exception {
        OneMachine.Running running = Journeys.start(sites);
        Path originArchive = running.providers().archive(DemoProviderRegistry.VERSION, ProviderPlatform.current());

        RunRecord first = running.runner().run(StackRunner.SCHEDULED);

        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(linkMessages(running, LinkDirection.TO_UPSTREAM, MessageTypes.PROVIDER_GET))
                .as("no request of its own: the provider came ahead of the config's bundle").isZero();
        assertThat(linkMessages(running, LinkDirection.TO_UPSTREAM, MessageTypes.GIT_SYNC)).as("one round trip in all").isEqualTo(1);
        assertThat(linkMessages(running, LinkDirection.TO_OUTPOST, MessageTypes.PROVIDER_PACKAGE)).as("one package").isEqualTo(1);
        Path config = sites.data().resolve("outpost/worker/demo/config");
        String lock = Files.readString(config.resolve(LockFile.NAME));
        assertThat(lock).contains("provider \"" + DemoProviderRegistry.SOURCE + "\"").contains("version     = \"" + DemoProviderRegistry.VERSION + "\"")
                .contains("\"" + PackageHashes.h1(originArchive) + "\"");

        JsonNode version = mirrorJson(running, DemoProviderRegistry.VERSION + ".json");
        JsonNode archive = version.path("archives").path(ProviderPlatform.current());
        String published = Files.readString(originArchive.resolveSibling("terraform-provider-stamp_" + DemoProviderRegistry.VERSION + "_SHA256SUMS"))
                .split(" ")[0];
        assertThat(archive.path("hashes").toString()).contains("zh:" + published).contains(PackageHashes.h1(originArchive));
        assertThat(mirrorJson(running, "index.json").path("versions").has(DemoProviderRegistry.VERSION)).isTrue();

        // A second init, in a working directory without providers, takes them from the mirror: nothing crosses the link.
        Map<String, Map<String, LinkTotal>> before = running.link().totals();
        DurableFiles.deleteTree(config.resolve(".terraform"));
        Files.delete(config.resolve(LockFile.NAME));
        RunRecord second = running.runner().run(StackRunner.READY);
        assertThat(second.outcome()).as(String.valueOf(second.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(Files.readString(config.resolve(LockFile.NAME))).contains(PackageHashes.h1(originArchive));
        assertThat(running.link().totals()).as("link totals after a second init").isEqualTo(before);
    }

    @Test
    void anArchiveThatDoesNotMatchTheOriginsChecksumsIsRefusedUpstreamAndNeverStored() throws Exception {
        OneMachine.Running running = Journeys.start(sites);
        Path originArchive = running.providers().archive(DemoProviderRegistry.VERSION, ProviderPlatform.current());
        try (ZipOutputStream tampered = new ZipOutputStream(Files.newOutputStream(originArchive))) {
            tampered.putNextEntry(new ZipEntry("terraform-provider-stamp_v" + DemoProviderRegistry.VERSION));
            tampered.write("#!/bin/sh\necho owned\n".getBytes());
        }

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error()).contains("checksum-mismatch").contains("SHA256SUMS");
        assertThat(linkMessages(running, LinkDirection.TO_OUTPOST, MessageTypes.PROVIDER_PACKAGE)).isZero();
        Path held = sites.data().resolve("outpost/providers").resolve(DemoProviderRegistry.SOURCE.toString());
        assertThat(!Files.exists(held) || Files.list(held).findAny().isEmpty()).as("nothing stored in " + held).isTrue();
    }

    @Test
    void checksumsWhoseSignatureDoesNotVerifyAreRefusedUpstream() throws Exception {
        OneMachine.Running running = Journeys.start(sites);
        Path originArchive = running.providers().archive(DemoProviderRegistry.VERSION, ProviderPlatform.current());
        Path signature = originArchive.resolveSibling("terraform-provider-stamp_" + DemoProviderRegistry.VERSION + "_SHA256SUMS.sig");
        byte[] signed = Files.readAllBytes(signature);
        signed[signed.length - 1] ^= 0x01;
        Files.write(signature, signed);

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error()).contains("checksum-mismatch").contains("not signed by a key the origin lists");
        assertThat(linkMessages(running, LinkDirection.TO_OUTPOST, MessageTypes.PROVIDER_PACKAGE)).isZero();
    }

    private static long linkMessages(OneMachine.Running running, LinkDirection direction, String type) {
        return running.link().totals().getOrDefault(direction.tag(), Map.of()).getOrDefault(type, new LinkTotal(0, 0)).messages();
    }

    /** GETs from the outpost's mirror over HTTPS, trusting only the outpost's internal CA, as terraform does. */
    private static JsonNode mirrorJson(OneMachine.Running running, String file) throws Exception {
        SSLContext tls = InternalCa.loadOrCreate(running.outpost().caCertificate().getParent(), "unused", Clock.systemUTC()).clientContext();
        URI url = running.outpost().providerMirror().resolve(DemoProviderRegistry.SOURCE + "/" + file);
        HttpResponse<byte[]> response = HttpClient.newBuilder().sslContext(tls).build()
                .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
