package io.outpost.iacworker;

import io.outpost.brokerclient.Addresses;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ImportArchive;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.Ready;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ProducerTemplate;

/**
 * Sends sync and pull requests (and operators' subscriptions and imports) to the outpost gateway's request queue and completes each when the
 * gateway's ready event for its subject arrives: the worker waits on an event, it never polls.
 */
public final class GatewayClient implements GitSyncClient, ImagePullClient, ProviderGetClient, ModuleGetClient {
    private final RequestQueue queue;
    private final EnvelopeCodec codec;
    private final String outpost;
    private final Clock clock;
    private final Map<String, CompletableFuture<Ready>> waiting = new ConcurrentHashMap<>();

    /** Where requests go: the gateway's request queue, with the broker-side properties the link and tools route by. */
    @FunctionalInterface
    public interface RequestQueue {
        void send(byte[] frame, Map<String, Object> properties);

        /** The request queue of {@code tenant}: the gateway takes whatever arrives on it as that tenant's. */
        static RequestQueue of(ProducerTemplate producer, String tenant) {
            String queue = "outpost:queue:" + Addresses.requests(tenant);
            return (frame, properties) -> producer.sendBodyAndHeaders(queue, frame, properties);
        }
    }

    public GatewayClient(RequestQueue queue, EnvelopeCodec codec, String outpost, Clock clock) {
        this.queue = queue;
        this.codec = codec;
        this.outpost = outpost;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Ready> sync(String repo, String ref) {
        return ask(repo, MessageTypes.GIT_SYNC, new GitSync(repo, List.of(ref), Map.of()));
    }

    @Override
    public CompletableFuture<Ready> pull(String repository, String reference, String platform) {
        ImagePull pull = new ImagePull(repository, reference, platform, List.of());
        return ask(pull.subject(), MessageTypes.IMAGE_PULL, pull);
    }

    @Override
    public CompletableFuture<Ready> pull(ProviderGet pull) {
        return ask(pull.subject(), MessageTypes.PROVIDER_GET, pull);
    }

    @Override
    public CompletableFuture<Ready> pull(ModuleGet pull) {
        return ask(pull.subject(), MessageTypes.MODULE_GET, pull);
    }

    /** An operator subscribes the outpost to {@code refs} of {@code repo} (its default branch when none); the answer confirms it. */
    public CompletableFuture<Ready> subscribe(String repo, List<String> refs) {
        return ask(Ready.subscriptionOf(repo), MessageTypes.SUBSCRIBE, new GitSync(repo, refs, Map.of()));
    }

    /** An operator hands the gateway an archive from removable media; the answer tells whether it was applied. */
    public CompletableFuture<Ready> importArchive(Path archive) {
        ImportArchive request = new ImportArchive(archive.toAbsolutePath().toString());
        return ask(request.subject(), MessageTypes.IMPORT_ARCHIVE, request);
    }

    private CompletableFuture<Ready> ask(String subject, String type, Object request) {
        CompletableFuture<Ready> answer = waiting.compute(subject,
                (key, previous) -> previous == null || previous.isDone() ? new CompletableFuture<>() : previous);
        Envelope envelope = Envelope.request(type, outpost, Messages.headers(request), clock.instant(), Envelope.DEFAULT_REQUEST_TTL);
        queue.send(codec.encode(envelope), Addresses.propertiesOf(envelope));
        return answer;
    }

    /** Hands a ready event to the run waiting for it; false when no run was waiting. */
    public boolean complete(Ready ready) {
        CompletableFuture<Ready> answer = waiting.remove(ready.subject());
        return answer != null && answer.complete(ready);
    }
}
