package io.outpost.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BillOfMaterialsTest {
    @Test
    void listsImagesAndProvidersWithTheirConstraints() {
        BillOfMaterials bill = BillOfMaterials.parse("""
                images:
                  - team/batch:7
                  - 127.0.0.1:5000/team/web@sha256:%s
                providers:
                  - source: example.org/team/extra
                    version: ">= 2.0"
                  - hashicorp/null
                """.formatted("ab".repeat(32)));

        assertThat(bill.images()).containsExactly("team/batch:7", "127.0.0.1:5000/team/web@sha256:" + "ab".repeat(32));
        assertThat(bill.providers()).isEqualTo(Map.of("example.org/team/extra", ">= 2.0", "hashicorp/null", ""));
    }

    @Test
    void anImageMayChooseItsPlatformsAsAListOrAll() {
        BillOfMaterials bill = BillOfMaterials.parse("""
                images:
                  - team/batch:7
                  - image: team/web:1.4
                    platforms: [linux/amd64, linux/arm64]
                  - image: team/tools:2
                    platforms: all
                """);

        assertThat(bill.images()).containsExactly("team/batch:7", "team/web:1.4", "team/tools:2");
        assertThat(bill.platformsOf("team/web:1.4")).isEqualTo("linux/amd64,linux/arm64");
        assertThat(bill.platformsOf("team/tools:2")).isEqualTo("all");
        assertThat(bill.platformsOf("team/batch:7")).as("the upstream's").isEmpty();
        assertThatThrownBy(() -> BillOfMaterials.parse("images:\n  - platforms: all\n")).hasMessageContaining("has no image");
    }

    @Test
    void noFileOrAnEmptyOneNeedsNothing() {
        assertThat(BillOfMaterials.parse(null)).isEqualTo(BillOfMaterials.none());
        assertThat(BillOfMaterials.parse("")).isEqualTo(BillOfMaterials.none());
        assertThat(BillOfMaterials.parse("# nothing yet\n")).isEqualTo(BillOfMaterials.none());
    }

    @ParameterizedTest
    @ValueSource(strings = {"images: [unclosed", "- just\n- a list\n", "\"a string\""})
    void aBrokenFileIsAnErrorThatNamesIt(String text) {
        assertThatThrownBy(() -> BillOfMaterials.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BillOfMaterials.FILE);
    }
}
