package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.disklens.image.Units;

class FormatsTest {
    @Test
    void sizesAreBinaryAndShort() {
        assertThat(Units.size(512)).isEqualTo("512 B");
        assertThat(Units.size(196_768)).isEqualTo("192 KiB");
        assertThat(Units.size(10L << 30)).isEqualTo("10 GiB");
        assertThat(Units.size(1536L << 20)).isEqualTo("1.5 GiB");
        assertThat(Units.size(16L << 40)).isEqualTo("16 TiB");
    }

    @Test
    void tinySharesKeepOneSignificantDigit() {
        // qemu-img create -f qcow2 x 10G: 193 KiB on disk (the example).
        assertThat(Units.percent(193 * 1024, 10L << 30)).isEqualTo("0.002 %");
        assertThat(Units.percent(1, 2)).isEqualTo("50 %");
        assertThat(Units.percent(1, 40)).isEqualTo("2.5 %");
        assertThat(Units.percent(0, 40)).isEqualTo("0 %");
        assertThat(Units.percent(1, 0)).isEqualTo("–");
    }

    @Test
    void rangesUseTheUnitOfTheirEnd() {
        assertThat(Formats.range(512 << 10, 640 << 10)).isEqualTo("512 – 640 KiB");
        assertThat(Formats.range(0, 1 << 20)).isEqualTo("0 – 1 MiB");
        assertThat(Formats.range(2L << 30, (2L << 30) + (1 << 20))).isEqualTo("2 – 2.001 GiB");
    }

    @Test
    void durationsAndOffsets() {
        assertThat(Formats.duration(Duration.ofSeconds(42))).isEqualTo("0:42");
        assertThat(Formats.duration(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(Units.hex(0x50000)).isEqualTo("0x50000");
        assertThat(Formats.clock(3_723_004_000_000L)).isEqualTo("01:02:03.004");
    }
}
