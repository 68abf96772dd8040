package io.outpost.gateway.outpost;

import io.outpost.brokerclient.Addresses;
import io.outpost.gateway.media.ArchiveImport;
import io.outpost.gateway.media.ArchiveRefusedException;
import io.outpost.gateway.outpost.git.OutpostGitSync;
import io.outpost.gateway.outpost.image.OutpostImagePull;
import io.outpost.gateway.outpost.module.OutpostModulePull;
import io.outpost.gateway.outpost.provider.OutpostProviderPull;
import io.outpost.gateway.outpost.push.OutpostSubscriptions;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ImportArchive;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.Ready;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Requests from the workers and operators of one namespace, decoded and passed to the flow that serves
 * them. The queue a request came on says whose it is: the tenant an envelope names is not trusted.
 */
final class WorkerRequests {
    private final EnvelopeCodec codec;
    private final OutpostGitSync gitSync;
    private final Optional<OutpostImagePull> imagePull;
    private final OutpostProviderPull providerPull;
    private final OutpostModulePull modulePull;
    private final OutpostSubscriptions subscriptions;
    private final Optional<ArchiveImport> archives;
    private final ReadyPublisher ready;

    /** @param archives empty for a tenant: an archive from removable media fills the outpost's own namespace */
    WorkerRequests(EnvelopeCodec codec, OutpostNamespace namespace, OutpostProviderPull providerPull, OutpostModulePull modulePull,
                   Optional<ArchiveImport> archives) {
        this.codec = codec;
        this.gitSync = namespace.git();
        this.imagePull = namespace.images();
        this.providerPull = providerPull;
        this.modulePull = modulePull;
        this.subscriptions = namespace.subscriptions();
        this.archives = archives;
        this.ready = namespace::publish;
    }

    void accept(byte[] frame) {
        Envelope request = codec.decode(frame);
        switch (request.type()) {
            case MessageTypes.GIT_SYNC -> gitSync.request(Messages.read(request, GitSync.class));
            case MessageTypes.IMAGE_PULL -> {
                ImagePull pull = Messages.read(request, ImagePull.class);
                imagePull.ifPresentOrElse(images -> images.request(pull), () -> ready.publish(Ready.failed(pull.subject(),
                        ErrorCode.NOT_CONFIGURED, "this outpost gateway has no local registry configured")));
            }
            case MessageTypes.PROVIDER_GET -> providerPull.request(Messages.read(request, ProviderGet.class));
            case MessageTypes.MODULE_GET -> modulePull.request(Messages.read(request, ModuleGet.class));
            case MessageTypes.SUBSCRIBE -> {
                GitSync subscribe = Messages.read(request, GitSync.class);
                subscriptions.add(subscribe.repo(), subscribe.refs());
            }
            case MessageTypes.IMPORT_ARCHIVE -> importArchive(Messages.read(request, ImportArchive.class));
            default -> throw new MalformedMessageException("the outpost gateway takes GitSync, ImagePull, ProviderGet, ModuleGet, Subscribe and ImportArchive "
                    + "requests, not " + request.type());
        }
    }

    private void importArchive(ImportArchive request) {
        if (archives.isEmpty()) {
            ready.publish(Ready.failed(request.subject(), ErrorCode.NOT_CONFIGURED,
                    "archives from removable media are imported into the outpost's own namespace, not a tenant's: send the request on " + Addresses.REQUESTS));
            return;
        }
        try {
            ArchiveImport.Imported imported = archives.get().apply(Path.of(request.path()));
            ready.publish(new Ready(request.subject(), Ready.Status.UPDATED, Map.of(),
                    "applied " + imported.messages() + " messages signed by '" + imported.from() + "'"));
        } catch (ArchiveRefusedException e) {
            ready.publish(Ready.failed(request.subject(), ErrorCode.REJECTED, "refused, nothing applied: " + e.getMessage()));
        }
    }
}
