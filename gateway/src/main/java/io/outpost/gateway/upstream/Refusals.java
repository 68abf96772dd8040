package io.outpost.gateway.upstream;

import io.outpost.link.Outbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request upstream will not or cannot serve with an error saying why, and logs it. */
public final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private final Outbox outbox;
    private final Clock clock;

    public Refusals(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void refuse(Envelope request, ErrorCode code, String message, String subject) {
        LOG.warn("refused {} {} from outpost {}: {}", request.type(), request.id(), request.outpost(), message);
        outbox.send(request.reply(MessageTypes.ERROR, Messages.headers(new ErrorReply(code, message, subject)), null, clock.instant()));
    }
}
