package io.outpost.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message crossing the link. Headers are a JSON object whose shape depends on {@link #type()};
 * the body, when present, is at most one chunk: larger bodies travel as a transfer. {@code tenant} is the
 * namespace at the outpost the conversation belongs to ({@link Tenants#OUTPOST} for the outpost's own). {@code room},
 * when present, is the bytes the sending site could still store of transfers sent to it (see
 * {@code TransferReceiver#room}): the other site's sender does not start what would not fit.
 */
public record Envelope(
        String id,
        String type,
        String correlationId,
        String outpost,
        String tenant,
        Instant createdAt,
        int priority,
        Instant expiresAt,
        ObjectNode headers,
        byte[] body,
        Long room) {

    public static final int DEFAULT_PRIORITY = 4;

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(outpost, "outpost");
        tenant = Tenants.requireTenantOrOutpost(tenant == null ? Tenants.OUTPOST : tenant);
        Objects.requireNonNull(createdAt, "createdAt");
        headers = headers == null ? Json.MAPPER.createObjectNode() : headers.deepCopy();
        body = body == null ? new byte[0] : body;
        if (room != null && room < 0) {
            throw new IllegalArgumentException("room must not be negative: " + room);
        }
    }

    /** A message that says nothing of its sender's room. */
    public Envelope(String id, String type, String correlationId, String outpost, String tenant, Instant createdAt, int priority,
                    Instant expiresAt, ObjectNode headers, byte[] body) {
        this(id, type, correlationId, outpost, tenant, createdAt, priority, expiresAt, headers, body, null);
    }

    /** This message, saying its sender could still store {@code bytes} of transfers. */
    public Envelope withRoom(long bytes) {
        return new Envelope(id, type, correlationId, outpost, tenant, createdAt, priority, expiresAt, headers, body, bytes);
    }

    /** True when this message starts a conversation rather than answering one. */
    public boolean startsConversation() {
        return id.equals(correlationId);
    }

    /** A new message in the outpost's own namespace that starts a conversation. */
    /** How long a request stays worth answering unless the operator says otherwise ({@code --request-ttl}). */
    public static final Duration DEFAULT_REQUEST_TTL = Duration.ofHours(1);

    public static Envelope request(String type, String outpost, ObjectNode headers, Instant now, Duration ttl) {
        return request(type, outpost, Tenants.OUTPOST, headers, now, ttl);
    }

    /** A new message of {@code tenant} that starts a conversation: its correlation id is its own id, its priority its type's. */
    public static Envelope request(String type, String outpost, String tenant, ObjectNode headers, Instant now, Duration ttl) {
        String id = UUID.randomUUID().toString();
        return new Envelope(id, type, id, outpost, tenant, now, MessageTypes.priorityOf(type), now.plus(ttl), headers, null);
    }

    /** A message answering {@code request}: same conversation, same outpost, same tenant. */
    public Envelope reply(String replyType, ObjectNode replyHeaders, byte[] replyBody, Instant now) {
        return new Envelope(UUID.randomUUID().toString(), replyType, correlationId, outpost, tenant, now, priority,
                expiresAt, replyHeaders, replyBody);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }

    public int bodySize() {
        return body.length;
    }
}
