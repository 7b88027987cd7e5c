package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.disklens.image.InvalidRequest;
import org.disklens.image.QemuSize;
import org.junit.jupiter.api.Test;

/** qemu's option and size syntax (each format's options: its own package's tests). */
class OptionParsingTest {
    @Test
    void optionStringsSplitOnCommasAndKeepDoubledOnes() throws InvalidRequest {
        assertThat(OptionString.parse("a=1,b=x,,y,c=")).containsExactly(Map.entry("a", "1"), Map.entry("b", "x,y"),
                Map.entry("c", ""));
        assertThat(OptionString.parse("")).isEmpty();
        assertThatThrownBy(() -> OptionString.parse("novalue")).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void sizesUseBinarySuffixes() {
        assertThat(QemuSize.parse("4096")).isEqualTo(4096);
        assertThat(QemuSize.parse("64k")).isEqualTo(65536);
        assertThat(QemuSize.parse("64K")).isEqualTo(65536);
        assertThat(QemuSize.parse("2M")).isEqualTo(2 << 20);
        assertThat(QemuSize.parse("1.5G")).isEqualTo(3L << 29);
        assertThat(QemuSize.parse("16T")).isEqualTo(16L << 40);
        assertThat(QemuSize.parse("512b")).isEqualTo(512);
        assertThatThrownBy(() -> QemuSize.parse("-1")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> QemuSize.parse("12x")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> QemuSize.parse("9E")).isInstanceOf(NumberFormatException.class);
    }
}
