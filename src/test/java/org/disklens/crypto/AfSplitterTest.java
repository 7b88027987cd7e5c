package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AF splitter merges what it splits for every hash and key size LUKS uses (cryptsetup's own splits are merged
 * in the LUKS tests: a key slot only opens when the merge is right).
 */
class AfSplitterTest {
    @ParameterizedTest(name = "{0}, {1}-byte key, {2} stripes")
    @CsvSource({"sha1, 16, 1", "sha1, 32, 4000", "sha256, 32, 2", "sha256, 64, 4000", "sha512, 64, 4000", "sha512, 16, 3",
        "sha256, 100, 7"})
    void mergeUndoesSplit(String hash, int keyBytes, int stripes) throws Exception {
        Random random = new Random(keyBytes * 31L + stripes);
        byte[] key = new byte[keyBytes];
        random.nextBytes(key);
        byte[] material = AfSplitter.split(key, stripes, hash, random);
        assertThat(material).hasSize(keyBytes * stripes);
        assertThat(AfSplitter.merge(material, keyBytes, stripes, hash)).isEqualTo(key);
        if (stripes > 1) {
            material[0] ^= 1;
            assertThat(AfSplitter.merge(material, keyBytes, stripes, hash)).isNotEqualTo(key);
        }
    }
}
