package io.outpost.cli;

import io.outpost.registry.SignaturePolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which images must be signed, and by whom: the same setting at the upstream (checked before sending) and the outpost (before putting). */
final class ImagePolicyOption {
    @Option(names = "--image-policy", split = ",", paramLabel = "GLOB=KEYFILE", description = {"Images whose repository matches GLOB must carry a cosign",
            "signature that KEYFILE (a cosign.pub) verifies; repeat a GLOB to accept any of several keys. The first GLOB that matches decides;",
            "others need no signature (default: none)."})
    List<String> entries = new ArrayList<>();

    SignaturePolicy policy() {
        return SignaturePolicy.fromEntries(entries);
    }
}
