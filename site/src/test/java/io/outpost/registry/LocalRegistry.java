package io.outpost.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit extension: a real docker-registry child process on a free port, fresh for each test. */
public final class LocalRegistry implements BeforeEachCallback, AfterEachCallback {
    private RegistryProcess process;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        process = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, Files.createTempDirectory("outpost-registry-"), 0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        process.close();
    }

    public String address() {
        return process.address();
    }

    public RegistryClient client() {
        return new RegistryClient(RegistryEndpoint.of(process.url().toString()));
    }

    /** Where blob files for test images can be written. */
    public static Path scratch() throws java.io.IOException {
        return Files.createTempDirectory("outpost-blobs-");
    }
}
