package io.outpost.protocol.http;

/**
 * Where the outpost serves Terraform's module registry protocol, beside its provider mirror: the gateway
 * serves it there, the worker's CLI config points each registry hostname's {@code modules.v1} at
 * {@code PATH + HOSTNAME + "/"}.
 */
public final class ModuleRegistryPath {
    public static final String PATH = "/v1/modules/";

    private ModuleRegistryPath() {
    }
}
