package io.outpost.journeys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpost.cli.bench.NetworkPath;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kernel network path to an outpost in a network namespace of its own, for each test
 * ({@link NetworkPath}); without root or its tools the test is skipped with the reason
 * (CI runs as root, and .ci/run fails when the journey was skipped).
 */
final class RealNetworkPath implements BeforeEachCallback, AfterEachCallback {
    private final int oneWayDelayMillis;
    private final long bitsPerSecond;
    private final int lossPercent;
    private NetworkPath path;

    RealNetworkPath(int oneWayDelayMillis, long bitsPerSecond, int lossPercent) {
        this.oneWayDelayMillis = oneWayDelayMillis;
        this.bitsPerSecond = bitsPerSecond;
        this.lossPercent = lossPercent;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        NetworkPath.missing().ifPresent(reason -> assumeTrue(false, reason + " (CI runs as root)"));
        path = NetworkPath.open(oneWayDelayMillis, bitsPerSecond, lossPercent);
    }

    /** The command line that runs {@code command} inside the outpost's network namespace. */
    List<String> atTheOutpost(List<String> command) {
        return path.atTheOutpost(command);
    }

    void cut() throws IOException, InterruptedException {
        path.cut();
    }

    void restore() throws IOException, InterruptedException {
        path.restore();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (path != null) {
            path.close();
        }
    }
}
