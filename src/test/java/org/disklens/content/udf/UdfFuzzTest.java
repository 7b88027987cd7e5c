package org.disklens.content.udf;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/** Fuzzes the UDF file system, walked whole with small files copied. Seeds: make-fuzz-seeds.sh beside its inputs. */
class UdfFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new UdfType(), bytes);
    }
}
