package io.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Tenants;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorCodeTest {
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeCrossesTheLinkAsItsStableWireForm(ErrorCode code) {
        Envelope error = envelope(Messages.headers(new ErrorReply(code, "why", "demo-config")));
        assertThat(error.headers().path("code").asText()).isEqualTo(code.code());
        assertThat(Messages.read(error, ErrorReply.class).code()).isEqualTo(code);
    }

    @Test
    void anUnknownCodeIsAMalformedMessage() {
        Envelope error = envelope(Messages.headers(Map.of("code", "teapot", "message", "why")));
        assertThatThrownBy(() -> Messages.read(error, ErrorReply.class)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("teapot");
    }

    @Test
    void onlyWhatWaitingCannotBringIsPermanent() {
        assertThat(ErrorCode.FORBIDDEN.permanent()).isTrue();
        assertThat(ErrorCode.NOT_FOUND.permanent()).isTrue();
        assertThat(ErrorCode.CHECKSUM_MISMATCH.permanent()).isTrue();
        assertThat(ErrorCode.ORIGIN_UNAVAILABLE.permanent()).isFalse();
        assertThat(ErrorCode.LOCAL_UNAVAILABLE.permanent()).isFalse();
        assertThat(ErrorCode.EXPIRED.permanent()).isFalse();
    }

    @Test
    void aReadyEventHasAnErrorCodeExactlyWhenItFailed() {
        assertThat(Ready.failed("demo/web:v1", ErrorCode.NOT_FOUND, "no such tag").error()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> new Ready("demo-config", Ready.Status.FAILED, Map.of(), "no code")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ready("demo-config", Ready.Status.UPDATED, Map.of(), "", ErrorCode.REJECTED)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Envelope envelope(com.fasterxml.jackson.databind.node.ObjectNode headers) {
        return new Envelope("1", MessageTypes.ERROR, "1", "polar-1", Tenants.OUTPOST, Instant.EPOCH, 4, null, headers, null);
    }
}
