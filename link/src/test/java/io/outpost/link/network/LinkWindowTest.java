package io.outpost.link.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkWindowTest {
    @Test
    void aLongFatPipeKeepsFourBandwidthDelayProductsInFlightAndAShortLinkArtemisDefault() {
        LinkWindow geo = new LinkWindow(Duration.ofMillis(600), 2_500_000);
        assertThat(geo.bandwidthDelayProduct()).isEqualTo(1_500_000);
        assertThat(geo.consumerWindowBytes()).isEqualTo(6_000_000);
        assertThat(new LinkWindow(Duration.ofMillis(20), 250_000).consumerWindowBytes()).isEqualTo(1024 * 1024);
        assertThat(new LinkWindow(Duration.ofMillis(600), 0).consumerWindowBytes()).as("unlimited").isEqualTo(-1);
        assertThat(geo.connectionParameters()).contains("consumerWindowSize=6000000", "tcpSendBufferSize=-1", "reconnectAttempts=-1");
    }

    @Test
    void aWindowNeedsARoundTrip() {
        assertThatThrownBy(() -> new LinkWindow(Duration.ZERO, 250_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round trip");
    }
}
