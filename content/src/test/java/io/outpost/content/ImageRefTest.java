package io.outpost.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
    private static final String D = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "nginx,                                  docker.io,        library/nginx,     latest, -",
            "nginx:1.27,                             docker.io,        library/nginx,     1.27,   -",
            "bitnami/redis:7,                        docker.io,        bitnami/redis,     7,      -",
            "ghcr.io/org/team/app:v2,                ghcr.io,          org/team/app,      v2,     -",
            "127.0.0.1:5000/demo/web:r3,             127.0.0.1:5000,   demo/web,          r3,     -",
            "localhost/app,                          localhost,        app,               latest, -",
            "registry.local:5000/app@" + D + ",      registry.local:5000, app,            -,      " + D,
            "quay.io/app:v1@" + D + ",               quay.io,          app,               v1,     " + D})
    void realWorldReferences(String text, String registry, String repository, String tag, String digest) {
        ImageRef ref = ImageRef.parse(text);
        assertThat(ref).isEqualTo(new ImageRef(registry, repository, tag, digest));
        assertThat(ref.reference()).isEqualTo(digest != null ? digest : tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:5000/../etc/passwd", "app:bad tag", "app@sha256:short", "UPPER/case", "app@md5:abc"})
    void illegalReferencesAreRefused(String text) {
        assertThatThrownBy(() -> ImageRef.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "team/web:1.4,                           -,                team/web,          1.4,    -",
            "nginx:1.27,                             -,                nginx,             1.27,   -",
            "registry.example.com:5000/team/web:2,   registry.example.com:5000, team/web, 2,      -"})
    void referencesAsTheirRegistryServesThemAreNotDefaultedToDockerHub(String text, String registry, String repository, String tag, String digest) {
        assertThat(ImageRef.ofRepository(text)).isEqualTo(new ImageRef(registry, repository, tag, digest));
    }

    @org.junit.jupiter.api.Test
    void theOutpostCopyKeepsRepositoryTagAndDigest() {
        assertThat(ImageRef.parse("origin.example:443/demo/web:r3@" + D).at("127.0.0.1:5000").toString())
                .isEqualTo("127.0.0.1:5000/demo/web:r3@" + D);
    }
}
