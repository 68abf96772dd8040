package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"200ms, 200", "5s, 5000", "1.5s, 1500", "2m, 120000", "1h30m, 5400000", "4m20s, 260000", "1d, 86400000"})
    void durations(String text, long millis) {
        assertThat(Quantities.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "five seconds", "5s garbage", "-5s"})
    void badDurationsSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Quantities.duration(text)).hasMessageContaining("not a duration");
    }

    @ParameterizedTest(name = "{0} = {1} B/s")
    @CsvSource({"unlimited, 0", "2Mbit, 250000", "2 Mbit/s, 250000", "512kbit, 64000", "1MB, 1000000", "9600bit, 1200", "1Gbps, 125000000", "8Mb, 1000000", "2kB/s, 2000"})
    void bandwidths(String text, long bytesPerSecond) {
        assertThat(Quantities.bandwidth(text)).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "2 furlongs", "Mbit"})
    void badBandwidthsSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Quantities.bandwidth(text)).hasMessageContaining("not a bandwidth");
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"0, 0", "1000, 1000", "500MB, 500000000", "5GB, 5000000000", "1.5GiB, 1610612736", "64KiB, 65536", "2 kB, 2000"})
    void sizes(String text, long bytes) {
        assertThat(Quantities.size(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "5 GB please", "-5GB"})
    void badSizesSayWhatIsExpected(String text) {
        assertThatThrownBy(() -> Quantities.size(text)).hasMessageContaining("not a size");
    }
}
