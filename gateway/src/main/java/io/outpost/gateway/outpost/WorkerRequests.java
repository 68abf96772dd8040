package io.outpost.gateway.outpost;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.Ready;
import java.util.Map;
import java.util.Optional;

/** Requests from the outpost's workers, decoded and passed to the flow that serves them. */
public final class WorkerRequests {
    private final EnvelopeCodec codec;
    private final OutpostGitSync gitSync;
    private final Optional<OutpostImagePull> imagePull;
    private final OutpostProviderPull providerPull;
    private final ReadyPublisher ready;

    /** @param imagePull empty when this outpost has no local registry */
    public WorkerRequests(EnvelopeCodec codec, OutpostGitSync gitSync, Optional<OutpostImagePull> imagePull,
                          OutpostProviderPull providerPull, ReadyPublisher ready) {
        this.codec = codec;
        this.gitSync = gitSync;
        this.imagePull = imagePull;
        this.providerPull = providerPull;
        this.ready = ready;
    }

    public void accept(byte[] frame) {
        Envelope request = codec.decode(frame);
        switch (request.type()) {
            case MessageTypes.GIT_SYNC -> gitSync.request(Messages.read(request, GitSync.class));
            case MessageTypes.IMAGE_PULL -> {
                ImagePull pull = Messages.read(request, ImagePull.class);
                imagePull.ifPresentOrElse(images -> images.request(pull), () -> ready.publish(new Ready(pull.subject(),
                        Ready.Status.FAILED, Map.of(), "this outpost gateway has no local registry configured")));
            }
            case MessageTypes.PROVIDER_GET -> providerPull.request(Messages.read(request, ProviderGet.class));
            default -> throw new MalformedMessageException("workers may send GitSync, ImagePull and ProviderGet requests, not " + request.type());
        }
    }
}
