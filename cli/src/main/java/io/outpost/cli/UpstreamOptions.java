package io.outpost.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.ImageOrigins;
import io.outpost.gateway.upstream.ProviderOrigins;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.site.TransferTiming;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.transport.URIish;
import picocli.CommandLine.Option;

/** What an upstream serves, and to which outpost: the upstream gateway's and the export's allowlists. */
final class UpstreamOptions {
    @Option(names = "--repo", split = ",", description = "A repo this upstream serves, as NAME=ORIGIN_URL (git URL or path); repeat for more (required).")
    Map<String, String> repos = new LinkedHashMap<>();

    @Option(names = "--outpost", defaultValue = "${OUTPOST_NAME:-outpost}", description = "The outpost this upstream serves (default: ${DEFAULT-VALUE}).")
    String outpost;

    @Option(names = "--images", split = ",", description = "Registry repositories this upstream serves, as GLOB=REGISTRY_URL (e.g. 'team/**=https://registry.example'); repeat for more.")
    Map<String, String> images = new LinkedHashMap<>();

    @Option(names = "--providers", split = ",", description = "Terraform providers this upstream serves, as globs over HOSTNAME/NAMESPACE/TYPE "
            + "(e.g. 'registry.terraform.io/hashicorp/*'); repeat for more.")
    List<String> providers = new ArrayList<>();

    @Option(names = "--provider-registry", split = ",", description = "Where a provider hostname's registry is, as HOSTNAME=URL when not https://HOSTNAME/; repeat for more.")
    Map<String, URI> providerRegistries = new LinkedHashMap<>();

    /** @param data the data directory ({@code --data}); the upstream's is its {@code upstream/} */
    UpstreamGateway gateway(Path data, TransferTiming timing, Duration pollEvery, MeterRegistry meters, Clock clock) {
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
        images.forEach((glob, url) -> registries.put(glob, RegistryEndpoint.of(url)));
        return new UpstreamGateway(outpost, data.resolve("upstream"), new Allowlist(origins), new ImageOrigins(registries),
                new ProviderOrigins(providers, providerRegistries), OneMachine.CHUNK_SIZE, timing, pollEvery, meters, clock);
    }

    String describe() {
        return "repos " + repos.keySet() + ", images " + images.keySet() + ", providers " + providers;
    }
}
