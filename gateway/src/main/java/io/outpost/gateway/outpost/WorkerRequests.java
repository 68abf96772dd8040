package io.outpost.gateway.outpost;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;

/** Requests from the outpost's workers, decoded and passed to the flow that serves them. */
public final class WorkerRequests {
    private final EnvelopeCodec codec;
    private final OutpostGitSync gitSync;

    public WorkerRequests(EnvelopeCodec codec, OutpostGitSync gitSync) {
        this.codec = codec;
        this.gitSync = gitSync;
    }

    public void accept(byte[] frame) {
        Envelope request = codec.decode(frame);
        if (!MessageTypes.GIT_SYNC.equals(request.type())) {
            throw new MalformedMessageException("workers may send GitSync requests, not " + request.type());
        }
        gitSync.request(Messages.read(request, GitSync.class));
    }
}
