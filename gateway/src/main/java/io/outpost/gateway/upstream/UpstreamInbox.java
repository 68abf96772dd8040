package io.outpost.gateway.upstream;

import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.transfer.Delivery;
import io.outpost.transfer.TransferReceiver;

/** Everything the link delivers to the upstream site: decoded, reassembled, dispatched by type. */
public final class UpstreamInbox {
    private final EnvelopeCodec codec;
    private final TransferReceiver transfers;
    private final UpstreamGitSync gitSync;

    public UpstreamInbox(EnvelopeCodec codec, TransferReceiver transfers, UpstreamGitSync gitSync) {
        this.codec = codec;
        this.transfers = transfers;
        this.gitSync = gitSync;
    }

    public void accept(byte[] frame) {
        transfers.accept(codec.decode(frame)).ifPresent(this::dispatch);
    }

    private void dispatch(Delivery delivery) {
        try {
            switch (delivery.message().type()) {
                case MessageTypes.GIT_SYNC -> gitSync.answer(delivery.message());
                default -> throw new MalformedMessageException("upstream does not handle " + delivery.message().type() + " messages");
            }
        } finally {
            delivery.release();
        }
    }
}
