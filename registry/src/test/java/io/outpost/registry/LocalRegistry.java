package io.outpost.registry;

import io.outpost.data.DurableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension: a real docker-registry child process on a free port, fresh for each test. */
public final class LocalRegistry implements BeforeEachCallback, AfterEachCallback {
    private RegistryProcess process;
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("outpost-registry-");
        process = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, dir, 0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            process.close();
        } finally {
            DurableFiles.deleteTree(dir);
        }
    }

    /** Stops the registry as a crash would, keeping its storage; {@link #restart()} brings it back on the same port. */
    public void stop() {
        process.close();
    }

    public void restart() {
        String address = process.address();
        process = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, dir, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }

    public String address() {
        return process.address();
    }

    public RegistryClient client() {
        return new RegistryClient(RegistryEndpoint.of(process.url().toString()));
    }
}
