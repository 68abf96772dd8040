package io.outpost.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.content.Names;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.module.ModuleOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.ImagePull;
import io.outpost.registry.DockerConfigCredentials;
import io.outpost.registry.EnvironmentCredentials;
import io.outpost.registry.RegistryCredentials;
import io.outpost.registry.RegistryEndpoint;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.transport.URIish;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What an upstream serves, and to which outpost: the upstream gateway's and the export's allowlists. */
final class UpstreamOptions {
    @Option(names = "--repo", split = ",", description = "A repo this upstream serves, as NAME=ORIGIN_URL (git URL or path); repeat for more (required).")
    Map<String, String> repos = new LinkedHashMap<>();

    @Option(names = "--repo-refs", split = ",", paramLabel = "REPO=REF", description = {"The refs of a repo that may leave, as REPO=REF: a branch, a tag",
            "or a glob (e.g. 'demo-config=refs/tags/v*'); repeat for more. A repo not named lets out every branch and tag."})
    List<String> repoRefs = new ArrayList<>();

    @Mixin
    OutpostNameOption outpost;

    @Option(names = "--images", split = ",", description = "Registry repositories this upstream serves, as GLOB=REGISTRY_URL (e.g. 'team/**=https://registry.example'); repeat for more.")
    Map<String, String> images = new LinkedHashMap<>();

    @Option(names = "--registry-auth-file", paramLabel = "FILE", description = {"Logins for the origin registries, in Docker's config.json format (auths,",
            "credsStore, credHelpers); default: $REGISTRY_AUTH_FILE, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json.",
            "OUTPOST_REGISTRY_USER_<host> and OUTPOST_REGISTRY_PASSWORD_<host> in the environment come first."})
    Path registryAuthFile;

    @Option(names = "--registry-ca", split = ",", paramLabel = "HOST=FILE", description = {"The CA certificates (PEM) an origin registry's TLS must chain to,",
            "for a private CA, as HOST[:PORT]=FILE (that registry then trusts only them); repeat for more."})
    Map<String, Path> registryCas = new LinkedHashMap<>();

    @Mixin
    ImagePolicyOption imagePolicy;

    @Option(names = "--platforms", split = ",", paramLabel = "OS/ARCH", description = {"The platforms of a multi-arch image to move when the config",
            "does not choose (outpost.yaml 'platforms:'), e.g. linux/amd64,linux/arm64, or 'all' (default: linux/amd64)."})
    List<String> platforms = new ArrayList<>(List.of(ImagePull.DEFAULT_PLATFORM));

    @Option(names = "--providers", split = ",", description = "Terraform providers this upstream serves, as globs over HOSTNAME/NAMESPACE/TYPE "
            + "(e.g. 'registry.terraform.io/hashicorp/*'); repeat for more.")
    List<String> providers = new ArrayList<>();

    @Option(names = "--modules", split = ",", description = {"Terraform modules this upstream serves, as globs over a registry module's",
            "HOSTNAME/NAMESPACE/NAME/SYSTEM or a git module's URL (e.g. 'registry.terraform.io/terraform-aws-modules/**',",
            "'https://git.example.org/modules/**'); repeat for more."})
    List<String> modules = new ArrayList<>();

    @Option(names = "--module-registry", split = ",", description = "Where a module hostname's registry is, as HOSTNAME=URL when not https://HOSTNAME/; repeat for more.")
    Map<String, URI> moduleRegistries = new LinkedHashMap<>();

    @Option(names = "--tenant-repos", split = ",", paramLabel = "TENANT=GLOB", description = {"Repos a tenant of the outpost may have, as TENANT=GLOB",
            "among those --repo serves; repeat for more. A tenant not named has nothing; the outpost's own namespace has everything served."})
    List<String> tenantRepos = new ArrayList<>();

    @Option(names = "--tenant-images", split = ",", paramLabel = "TENANT=GLOB", description = {"Registry repositories a tenant of the outpost may have, as",
            "TENANT=GLOB among those --images serves (e.g. 'blue=blue-team/**'); repeat for more."})
    List<String> tenantImages = new ArrayList<>();

    @Option(names = "--provider-registry", split = ",", description = "Where a provider hostname's registry is, as HOSTNAME=URL when not https://HOSTNAME/; repeat for more.")
    Map<String, URI> providerRegistries = new LinkedHashMap<>();

    @Option(names = "--origin-cache", paramLabel = "SIZE", converter = Converters.SizeConverter.class, description = {"How much the cache of image",
            "blobs and provider packages downloaded from origins for the whole fleet holds (default: 20GiB); past it, what every outpost holds goes, then the least recently used."})
    Long originCache;

    /** @param data the data directory ({@code --data}); the upstream's is its {@code upstream/} */
    UpstreamGateway gateway(Path data, TransferTiming timing, TransferCoding coding, Duration pollEvery, MeterRegistry meters, Clock clock) {
        if (repos.isEmpty()) {
            throw new IllegalArgumentException("no repo to serve: give --repo NAME=ORIGIN_URL (or 'repo = NAME=URL' in --config, OUTPOST_REPO)");
        }
        Map<String, URIish> origins = new LinkedHashMap<>();
        for (Map.Entry<String, String> repo : repos.entrySet()) {
            try {
                origins.put(repo.getKey(), new URIish(repo.getValue()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--repo " + repo.getKey() + ": '" + repo.getValue() + "' is not a git URL");
            }
        }
        Map<String, RegistryEndpoint> registries = new LinkedHashMap<>();
        images.forEach((glob, url) -> {
            RegistryEndpoint endpoint = RegistryEndpoint.of(url);
            Path ca = registryCas.get(endpoint.address());
            registries.put(glob, ca == null ? endpoint : endpoint.trusting(ca));
        });
        registryCas.keySet().stream().filter(host -> registries.values().stream().noneMatch(endpoint -> endpoint.address().equals(host))).findFirst()
                .ifPresent(host -> {
                    throw new IllegalArgumentException("--registry-ca " + host + ": no --images origin is on " + host + " (give HOST[:PORT] as in its URL)");
                });
        UpstreamGateway.Builder builder = UpstreamGateway.builder(outpost.name, new DataDirectory(data).upstream());
        if (originCache != null) {
            builder.originCacheBytes(originCache);
        }
        return builder.repos(new Allowlist(origins, grouped("--repo-refs", "REPO=REF", repoRefs, Names::requireRepo))).images(new ImageOrigins(registries, registryLogins()).requiring(imagePolicy.policy()).platforms(platforms))
                .providers(new ProviderOrigins(providers, providerRegistries)).modules(new ModuleOrigins(modules, moduleRegistries)).tenants(tenants()).timing(timing).coding(coding).pollEvery(pollEvery).meters(meters).clock(clock)
                .build();
    }

    /** Where the origin registries' logins come from: the environment's, then the Docker config's. */
    RegistryCredentials registryLogins() {
        Map<String, String> environment = System.getenv();
        return RegistryCredentials.firstOf(List.of(new EnvironmentCredentials(environment), registryConfig()));
    }

    private DockerConfigCredentials registryConfig() {
        return registryAuthFile != null ? new DockerConfigCredentials(registryAuthFile, DockerConfigCredentials.pathOf(System.getenv()))
                : DockerConfigCredentials.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    TenantAllowlists tenants() {
        return tenants(tenantRepos, tenantImages);
    }

    /** The tenants' globs, gathered from the TENANT=GLOB entries of {@code --tenant-repos} and {@code --tenant-images}. */
    static TenantAllowlists tenants(List<String> tenantRepos, List<String> tenantImages) {
        Map<String, List<String>> repoGlobs = grouped("--tenant-repos", "TENANT=GLOB", tenantRepos, Tenants::requireTenant);
        Map<String, List<String>> imageGlobs = grouped("--tenant-images", "TENANT=GLOB", tenantImages, Tenants::requireTenant);
        Map<String, TenantAllowlists.Grant> grants = new LinkedHashMap<>();
        Stream.concat(repoGlobs.keySet().stream(), imageGlobs.keySet().stream()).distinct().forEach(tenant -> grants.put(tenant,
                new TenantAllowlists.Grant(repoGlobs.getOrDefault(tenant, List.of()), imageGlobs.getOrDefault(tenant, List.of()))));
        return new TenantAllowlists(grants);
    }

    /** KEY=VALUE entries ({@code shape} says which), values gathered by key, each key checked by {@code key}. */
    private static Map<String, List<String>> grouped(String option, String shape, List<String> entries, UnaryOperator<String> key) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 1 || equals == entry.length() - 1) {
                throw new IllegalArgumentException(option + " '" + entry + "': expected " + shape);
            }
            values.computeIfAbsent(key.apply(entry.substring(0, equals)), named -> new ArrayList<>()).add(entry.substring(equals + 1));
        }
        return values;
    }

    String describe() {
        Path logins = registryConfig().file();
        return "repos " + repos.keySet() + (repoRefs.isEmpty() ? "" : " (refs " + repoRefs + ")") + ", images " + images.keySet()
                + (images.isEmpty() ? "" : " (registry logins from " + logins + (Files.exists(logins) ? "" : ", absent: anonymous")
                + "; platforms " + String.join(",", platforms)
                + (imagePolicy.entries.isEmpty() ? "" : "; signatures required for " + imagePolicy.policy().describe()) + ")") + ", providers " + providers
                + ", modules " + modules
                + (tenantRepos.isEmpty() && tenantImages.isEmpty() ? "" : ", tenants' repos " + tenantRepos + " and images " + tenantImages);
    }
}
