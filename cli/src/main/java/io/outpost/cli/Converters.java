package io.outpost.cli;

import io.outpost.protocol.SyncMode;
import java.net.InetSocketAddress;
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

    /** {@code HOST:PORT}, the address a server listens on (0.0.0.0 for every interface, port 0 for a free one). */
    static final class ListenConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new InetSocketAddress(value.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:5760, or 0.0.0.0:5760 for every interface)");
            }
        }
    }
}
