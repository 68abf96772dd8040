package io.outpost.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for {@link Quantities}. */
final class Converters {
    private Converters() {
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Quantities.duration(value);
        }
    }

    static final class BandwidthConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Quantities.bandwidth(value);
        }
    }
}
