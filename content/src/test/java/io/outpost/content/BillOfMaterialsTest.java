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
