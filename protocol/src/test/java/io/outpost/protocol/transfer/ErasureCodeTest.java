package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ErasureCodeTest {
    private final Random random = new Random(20261202L);

    @Test
    void everyNonZeroElementOfTheFieldHasAnInverse() {
        for (int a = 1; a < 256; a++) {
            assertThat(ErasureCode.multiply(a, ErasureCode.inverse(a))).as("a = %d", a).isEqualTo(1);
        }
        assertThat(ErasureCode.multiply(0x80, 2)).as("x^7 * x reduces by the field's polynomial 0x11d").isEqualTo(0x1d);
    }

    @Test
    void anyKOfTheNChunksOfABlockRebuildItsData() {
        for (int data = 1; data <= 5; data++) {
            for (int repairs = 0; repairs <= 3; repairs++) {
                byte[][] block = block(data, repairs, 37);
                for (List<Integer> held : subsets(data + repairs, data)) {
                    assertRebuilt(data, repairs, block, held);
                }
            }
        }
    }

    @Test
    void aLargeBlockRebuildsFromRandomSubsetsOfItsChunks() {
        int data = 64;
        int repairs = 32;
        byte[][] block = block(data, repairs, 1000);
        for (int trial = 0; trial < 20; trial++) {
            List<Integer> chunks = new ArrayList<>();
            for (int i = 0; i < data + repairs; i++) {
                chunks.add(i);
            }
            Collections.shuffle(chunks, random);
            assertRebuilt(data, repairs, block, chunks.subList(0, data));
        }
    }

    @Test
    void aShorterLastChunkCodesAsIfPaddedWithZeros() {
        ErasureCode code = new ErasureCode(2, 1);
        byte[] first = bytes(10);
        byte[] last = bytes(4);
        byte[] repair = new byte[10];
        code.addData(0, 0, first, first.length, repair);
        code.addData(0, 1, last, last.length, repair);

        int[][] factors = code.rebuild(new int[] {0, 2}, new int[] {1});
        byte[] rebuilt = new byte[10];
        ErasureCode.addScaled(factors[0][0], first, first.length, rebuilt);
        ErasureCode.addScaled(factors[0][1], repair, repair.length, rebuilt);
        assertThat(java.util.Arrays.copyOf(rebuilt, 4)).isEqualTo(last);
        assertThat(java.util.Arrays.copyOfRange(rebuilt, 4, 10)).containsOnly(0);
    }

    @Test
    void itsLimitsAreRefusedWithTheReason() {
        assertThat(new ErasureCode(224, 32)).isNotNull();
        assertThatThrownBy(() -> new ErasureCode(225, 32)).hasMessageContaining("1 to 256 chunks");
        assertThatThrownBy(() -> new ErasureCode(3, 1).rebuild(new int[] {0, 1}, new int[] {2})).hasMessageContaining("takes 3 chunks");
        assertThatThrownBy(() -> new ErasureCode(3, 1).rebuild(new int[] {0, 3, 3}, new int[] {1, 2})).hasMessageContaining("named twice");
    }

    /** Data chunks of {@code length} random bytes, then their repair chunks. */
    private byte[][] block(int data, int repairs, int length) {
        ErasureCode code = new ErasureCode(data, repairs);
        byte[][] chunks = new byte[data + repairs][];
        for (int i = 0; i < data; i++) {
            chunks[i] = bytes(length);
        }
        for (int j = 0; j < repairs; j++) {
            chunks[data + j] = new byte[length];
            for (int i = 0; i < data; i++) {
                code.addData(j, i, chunks[i], length, chunks[data + j]);
            }
        }
        return chunks;
    }

    private static void assertRebuilt(int data, int repairs, byte[][] block, List<Integer> held) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < data; i++) {
            if (!held.contains(i)) {
                missing.add(i);
            }
        }
        int[][] factors = new ErasureCode(data, repairs).rebuild(held.stream().mapToInt(Integer::intValue).toArray(),
                missing.stream().mapToInt(Integer::intValue).toArray());
        for (int m = 0; m < missing.size(); m++) {
            byte[] rebuilt = new byte[block[0].length];
            for (int t = 0; t < held.size(); t++) {
                ErasureCode.addScaled(factors[m][t], block[held.get(t)], rebuilt.length, rebuilt);
            }
            assertThat(rebuilt).as("data chunk %d of %d + %d from %s", missing.get(m), data, repairs, held).isEqualTo(block[missing.get(m)]);
        }
    }

    private static List<List<Integer>> subsets(int n, int size) {
        List<List<Integer>> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) == size) {
                List<Integer> subset = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if ((mask & 1 << i) != 0) {
                        subset.add(i);
                    }
                }
                subsets.add(subset);
            }
        }
        return subsets;
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
