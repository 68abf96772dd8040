package io.outpost.cli;

import io.outpost.protocol.SyncMode;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for {@link Quantities} and modes. */
final class Converters {
    private Converters() {
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Quantities.duration(value);
        }
    }

    /** {@code push} or {@code pull}, in any case. */
    static final class SyncModeConverter implements ITypeConverter<SyncMode> {
        @Override
        public SyncMode convert(String value) {
            try {
                return SyncMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not a mode: use push or pull");
            }
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Quantities.size(value);
        }
    }

    static final class BandwidthConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Quantities.bandwidth(value);
        }
    }
}
