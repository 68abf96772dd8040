package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpost.broker.InternalCa;
import io.outpost.cli.MirrorConfigs;
import io.outpost.cli.OneMachine;
import io.outpost.content.BillOfMaterials;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.protocol.Json;
import io.outpost.protocol.Ready;
import io.outpost.registry.Manifest;
import io.outpost.registry.ManifestContents;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryException;
import io.outpost.registry.TestImages;
import io.outpost.txrxsim.origin.DemoImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * The registry front at the outpost: what runtimes pull from. It serves a multi-arch index the outpost holds for one of
 * its platforms under the index's own digest (Distribution 2.8 alone cannot), each held platform's manifest, and the
 * OCI 1.1 referrers API; it is read-only. skopeo, a real OCI client, reads it as a registry.
 */
class RegistryFrontIT {
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    private static final Path PODMAN = Path.of("/usr/bin/podman");
    private static final String UPSTREAM_NAME = "registry.origin.example";

    /** One loop for the class: each test works on repositories of its own. */
    private static final SitesWithRegistries LOOP = new SitesWithRegistries();
    @RegisterExtension
    static final OncePerClass SHARED = new OncePerClass(LOOP);
    private static OneMachine.Running running;
    private static RegistryClient front;

    @TempDir
    Path scratch;
    private TestImages images;

    @BeforeAll
    static void loop() throws Exception {
        running = Journeys.start(LOOP.sites, LOOP.sites.camel(), LOOP.registries());
        front = new RegistryClient(RegistryEndpoint.of("https://" + running.outpost().registryFront()).trusting(running.outpost().caCertificate()));
    }

    @BeforeEach
    void images() {
        images = new TestImages(LOOP.origin.client(), scratch);
    }

    @Test
    void anIndexHeldForOnePlatformIsServedWholeByItsDigestAndItsTag() throws Exception {
        Manifest amd64 = images.image("demo/multi", "amd64", images.config("demo/multi", "{\"architecture\":\"amd64\"}"),
                List.of(images.layer("demo/multi", 3, 5_000)));
        Manifest arm64 = images.image("demo/multi", "arm64", images.config("demo/multi", "{\"architecture\":\"arm64\"}"),
                List.of(images.layer("demo/multi", 4, 5_000)));
        Manifest index = images.index("demo/multi", "v1", List.of(amd64, arm64), List.of("linux/amd64", "linux/arm64"));

        Ready ready = running.gateway().pull("demo/multi", "v1", "linux/amd64").get(30, TimeUnit.SECONDS);

        assertThat(ready.status()).as(ready.message()).isEqualTo(Ready.Status.UPDATED);
        assertThat(front.manifest("demo/multi", "v1").bytes()).as("by tag: the origin's index").isEqualTo(index.bytes());
        assertThat(front.manifest("demo/multi", index.digest()).digest()).isEqualTo(index.digest());
        assertThat(front.manifest("demo/multi", amd64.digest()).bytes()).isEqualTo(amd64.bytes());
        assertThat(front.hasManifest("demo/multi", arm64.digest())).as("a platform not chosen is not here").isFalse();
        assertThatThrownBy(() -> front.putManifest("demo/multi", "v2", amd64)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.status()).isEqualTo(405));

        assumeTrue(Files.isExecutable(SKOPEO), "skopeo is not installed (apt-get install -y skopeo; .ci/run installs it)");
        Path certs = Files.createDirectories(scratch.resolve("certs"));
        Files.copy(running.outpost().caCertificate(), certs.resolve("ca.crt"));
        String image = "docker://" + running.outpost().registryFront() + "/demo/multi@" + index.digest();
        ProcessResult raw = skopeo("inspect", "--raw", "--cert-dir", certs.toString(), image);
        assertThat(raw.getExitValue()).as(raw.outputUTF8()).isZero();
        assertThat(Json.MAPPER.readTree(raw.outputUTF8())).isEqualTo(Json.MAPPER.readTree(index.bytes()));
        ProcessResult onAmd64 = skopeo("inspect", "--override-os", "linux", "--override-arch", "amd64", "--cert-dir", certs.toString(),
                "--config", image);
        assertThat(onAmd64.getExitValue()).as(onAmd64.outputUTF8()).isZero();
        assertThat(onAmd64.outputUTF8()).contains("amd64");
        ProcessResult onArm64 = skopeo("inspect", "--override-os", "linux", "--override-arch", "arm64", "--cert-dir", certs.toString(),
                "--config", image);
        assertThat(onArm64.getExitValue()).as("the arm64 manifest was not chosen: " + onArm64.outputUTF8()).isNotZero();
    }

    @Test
    void theConfigChoosesTwoPlatformsOfThreeAndTheRunGetsTheOriginsIndexForThem() throws Exception {
        List<Manifest> platforms = new java.util.ArrayList<>();
        for (String arch : List.of("amd64", "arm64", "s390x")) {
            platforms.add(images.image("demo/three", arch, images.config("demo/three", "{\"architecture\":\"" + arch + "\"}"),
                    List.of(images.layer("demo/three", arch.hashCode(), 4_000))));
        }
        Manifest index = images.index("demo/three", "v1", platforms, List.of("linux/amd64", "linux/arm64", "linux/s390x"));

        running.origin().publishNext(java.util.Map.of(BillOfMaterials.FILE,
                "images:\n  - image: demo/three:v1\n    platforms: [linux/amd64, linux/arm64]\n"));
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(front.manifest("demo/three", "v1").digest()).isEqualTo(index.digest());
        assertThat(front.hasManifest("demo/three", platforms.get(0).digest())).isTrue();
        assertThat(front.hasManifest("demo/three", platforms.get(1).digest())).isTrue();
        assertThat(front.hasManifest("demo/three", platforms.get(2).digest())).as("not chosen").isFalse();
    }

    @Test
    void aPullOfAnImageTheOutpostLacksAsksForItOverTheLinkAndAPullAfterItsArrivalSucceeds() throws Exception {
        Manifest wanted = images.image("demo/pulled", "v1", images.config("demo/pulled", "{\"app\":\"pulled\"}"),
                List.of(images.layer("demo/pulled", 9, 50_000)));

        long pullsBefore = imagePullsSent();
        assertThatThrownBy(() -> front.manifest("demo/pulled", "v1")).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).contains("MANIFEST_UNKNOWN").contains("asked for it over the link");
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> front.hasManifest("demo/pulled", "v1"));

        assertThat(front.manifest("demo/pulled", "v1").bytes()).isEqualTo(wanted.bytes());
        assertThat(imagePullsSent() - pullsBefore).as("one request over the link for all the pulls").isEqualTo(1);
    }

    private static long imagePullsSent() {
        return java.util.Optional.ofNullable(running.link().totals().get("to-upstream"))
                .map(sent -> sent.get(io.outpost.protocol.MessageTypes.IMAGE_PULL)).map(io.outpost.link.LinkTotal::messages).orElse(0L);
    }

    @Test
    void skopeoPullsByTheUpstreamNameThroughAGeneratedRegistriesConf() throws Exception {
        Manifest wanted = images.image("demo/mirrored", "v1", images.config("demo/mirrored", "{\"app\":\"mirrored\"}"),
                List.of(images.layer("demo/mirrored", 11, 20_000)));
        assertThat(running.gateway().pull("demo/mirrored", "v1", "").get(30, TimeUnit.SECONDS).status()).isEqualTo(Ready.Status.UPDATED);
        assumeTrue(Files.isExecutable(SKOPEO), "skopeo is not installed (apt-get install -y skopeo; .ci/run installs it)");
        MirrorConfigs.File conf = MirrorConfigs.of(MirrorConfigs.Runtime.PODMAN, running.outpost().registryFront(), running.outpost().caCertificate(),
                List.of("registry.origin.example")).get(0);
        Path registriesConf = Files.writeString(scratch.resolve("outpost.conf"), conf.content());

        // the machine trusts the outpost's CA (as the printed 'then' line sets up in certs.d)
        ProcessResult raw = new ProcessExecutor().command(SKOPEO.toString(), "--registries-conf", registriesConf.toString(), "inspect", "--raw",
                        "docker://registry.origin.example/demo/mirrored@" + wanted.digest())
                .environment("SSL_CERT_FILE", running.outpost().caCertificate().toString()).readOutput(true).redirectErrorStream(true)
                .timeout(60, TimeUnit.SECONDS).execute();

        assertThat(raw.getExitValue()).as(raw.outputUTF8()).isZero();
        assertThat(Json.MAPPER.readTree(raw.outputUTF8())).isEqualTo(Json.MAPPER.readTree(wanted.bytes()));
    }

    @Test
    void aReleasePinnedByDigestKeepsTheOriginsTagsAtTheOutpostAndTheyMoveWithTheNextRelease() throws Exception {
        String first = releaseImage();
        assertThat(front.manifestDigest(DemoImages.REPOSITORY, "r" + running.origin().current().number())).as("its release tag").contains(first);
        assertThat(front.manifestDigest(DemoImages.REPOSITORY, DemoImages.LATEST)).contains(first);

        String second = releaseImage();

        assertThat(second).isNotEqualTo(first);
        assertThat(front.manifestDigest(DemoImages.REPOSITORY, DemoImages.LATEST)).as("moved as the origin moved it").contains(second);
        assertThat(front.manifestDigest(DemoImages.REPOSITORY, "r" + (running.origin().current().number() - 1))).contains(first);
        // containerd names the registry a mirror stands in for with ?ns=: the same repository
        java.net.http.HttpResponse<byte[]> byNamespace = java.net.http.HttpClient.newBuilder()
                .sslContext(InternalCa.loadOrCreate(running.outpost().caCertificate().getParent(), "unused", java.time.Clock.systemUTC()).clientContext()).build()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://" + running.outpost().registryFront() + "/v2/"
                        + DemoImages.REPOSITORY + "/manifests/" + DemoImages.LATEST + "?ns=" + UPSTREAM_NAME))
                        .header("Accept", io.outpost.registry.MediaTypes.OCI_MANIFEST).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(byNamespace.statusCode()).isEqualTo(200);
        assertThat(byNamespace.headers().firstValue("Docker-Content-Digest")).contains(second);

        assumeTrue(Files.isExecutable(PODMAN) && Files.isExecutable(SKOPEO),
                "podman and skopeo are not installed (apt-get install -y podman runc skopeo; .ci/run installs them)");
        String release = "r" + running.origin().current().number();
        String image = running.outpost().registryFront() + "/" + DemoImages.REPOSITORY;
        assertThat(podman("pull", image + ":" + release).getExitValue()).isZero();
        assertThat(podman("image", "inspect", "--format", "{{.Digest}}", image + ":" + release).outputUTF8().strip()).isEqualTo(second);
        assertThat(podman("pull", image + "@" + first).getExitValue()).isZero();
        MirrorConfigs.File conf = MirrorConfigs.of(MirrorConfigs.Runtime.PODMAN, running.outpost().registryFront(), running.outpost().caCertificate(),
                List.of(UPSTREAM_NAME)).get(0);
        Files.writeString(scratch.resolve("registries.conf"), conf.content());
        assertThat(podman("pull", UPSTREAM_NAME + "/" + DemoImages.REPOSITORY + ":" + DemoImages.LATEST).getExitValue()).isZero();
        assertThat(podman("image", "inspect", "--format", "{{.Digest}}", UPSTREAM_NAME + "/" + DemoImages.REPOSITORY + ":" + DemoImages.LATEST)
                .outputUTF8().strip()).as("by the upstream name, through the mirror").isEqualTo(second);

        Path certs = Files.createDirectories(scratch.resolve("certs"));
        Files.copy(running.outpost().caCertificate(), certs.resolve("ca.crt"));
        ProcessResult inspected = skopeo("inspect", "--cert-dir", certs.toString(), "docker://" + image + ":" + DemoImages.LATEST);
        assertThat(inspected.getExitValue()).as(inspected.outputUTF8()).isZero();
        com.fasterxml.jackson.databind.JsonNode inspection = Json.MAPPER.readTree(inspected.outputUTF8());
        assertThat(inspection.path("Digest").asText()).isEqualTo(second);
        assertThat(inspection.path("RepoTags").toString()).as("the tag list, which skopeo reads unless told --no-tags")
                .contains("\"" + release + "\"", "\"" + DemoImages.LATEST + "\"");
    }

    /** The origin publishes a release, the worker applies it; the digest of its image. */
    private String releaseImage() {
        running.origin().publishNext();
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        String image = run.outputs().get("image");
        return image.substring(image.indexOf('@') + 1);
    }

    /** podman as root with its own storage in the test's directory, trusting the outpost's CA, with the test's registries.conf. */
    private ProcessResult podman(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(PODMAN.toString(), "--root", scratch.resolve("podman/root").toString(),
                "--runroot", scratch.resolve("podman/run").toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(arguments));
        Path conf = scratch.resolve("registries.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, "");
        }
        ProcessResult result = new ProcessExecutor().command(command).environment("SSL_CERT_FILE", running.outpost().caCertificate().toString())
                .environment("CONTAINERS_REGISTRIES_CONF", conf.toString()).readOutput(true).redirectErrorStream(false)
                .timeout(120, TimeUnit.SECONDS).execute();
        assertThat(result.getExitValue()).as(String.join(" ", command) + ": " + result.outputUTF8()).isZero();
        return result;
    }

    @Test
    void aPullOfAnImageUpstreamDoesNotServeSaysWhyOnceUpstreamHasSaid() {
        assertThatThrownBy(() -> front.manifest("elsewhere/app", "v1")).hasMessageContaining("asked for it over the link");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() ->
                assertThatThrownBy(() -> front.manifest("elsewhere/app", "v1")).hasMessageContaining("upstream refused")
                        .hasMessageContaining("forbidden").hasMessageContaining("not on"));
    }

    @Test
    void theReferrersApiListsWhatTheImagesAnswerBrought() throws Exception {
        Manifest app = images.image("demo/app", "v1", images.config("demo/app", "{\"app\":1}"), List.of(images.layer("demo/app", 7, 30_000)));
        List<Manifest> attached = images.sbom("demo/app", app, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"demo/app\"}");
        assertThat(running.gateway().pull("demo/app", "v1", "linux/amd64").get(30, TimeUnit.SECONDS).status()).isEqualTo(Ready.Status.UPDATED);

        Manifest listed = front.referrers("demo/app", app.digest()).orElseThrow();
        Manifest none = front.referrers("demo/app", attached.get(0).digest()).orElseThrow();

        assertThat(ManifestContents.of(listed).manifests()).singleElement().extracting(ManifestContents.Descriptor::digest)
                .isEqualTo(attached.get(0).digest());
        assertThat(Json.MAPPER.readTree(listed.bytes()).path("manifests").get(0).path("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(ManifestContents.of(none).manifests()).as("a digest nothing refers to: an empty list, not 404").isEmpty();
    }

    private static ProcessResult skopeo(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(SKOPEO.toString()));
        command.addAll(List.of(arguments));
        return new ProcessExecutor().command(command).readOutput(true).redirectErrorStream(true).timeout(60, TimeUnit.SECONDS).execute();
    }
}
