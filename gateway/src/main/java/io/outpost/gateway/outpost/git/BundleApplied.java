package io.outpost.gateway.outpost.git;

import java.util.List;
import java.util.Map;

/** What applying a bundle did: the local tips after it, refs moved, refs kept aside as forced updates. */
public record BundleApplied(Map<String, String> tips, List<String> moved, List<String> forced) {
}
