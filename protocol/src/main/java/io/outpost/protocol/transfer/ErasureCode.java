package io.outpost.protocol.transfer;

/**
 * A systematic Reed–Solomon erasure code over GF(2^8) with a Cauchy generator: {@code data} chunks of a block and
 * {@code repairs} chunks computed from them, any {@code data} of the {@code data + repairs} rebuild the block
 * (maximum distance separable: every square submatrix of a Cauchy matrix is invertible). Repair row {@code j}, data
 * column {@code i}: {@code 1 / (x_j + y_i)} with {@code x_j = 255 - j} and {@code y_i = i}, which stay distinct while
 * {@code data + repairs <= 256}.
 *
 * <p>Limits: at most {@link #MAX_CHUNKS} chunks per block, data and repairs together; chunks of one block are coded at
 * one length (a shorter last chunk counts as padded with zeros). Work is one table lookup and one XOR per byte, per
 * repair chunk made or per lost chunk rebuilt, and rebuilding inverts a {@code data × data} matrix.
 */
public final class ErasureCode {
    public static final int MAX_CHUNKS = 256;
    private static final int POLYNOMIAL = 0x11d;
    private static final byte[] EXP = new byte[510];
    private static final int[] LOG = new int[256];
    /** {@code PRODUCT[a << 8 | b]} is a × b in the field: a row per factor, so coding a chunk is one lookup per byte. */
    private static final byte[] PRODUCT = new byte[256 * 256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = (byte) x;
            EXP[i + 255] = (byte) x;
            LOG[x] = i;
            x <<= 1;
            if (x >= 256) {
                x ^= POLYNOMIAL;
            }
        }
        for (int a = 1; a < 256; a++) {
            for (int b = 1; b < 256; b++) {
                PRODUCT[a << 8 | b] = EXP[LOG[a] + LOG[b]];
            }
        }
    }

    private final int data;
    private final int repairs;

    public ErasureCode(int data, int repairs) {
        if (data < 1 || repairs < 0 || data + repairs > MAX_CHUNKS) {
            throw new IllegalArgumentException("a block codes 1 to " + MAX_CHUNKS + " chunks, data and repairs together: not "
                    + data + " + " + repairs);
        }
        this.data = data;
        this.repairs = repairs;
    }

    static int multiply(int a, int b) {
        return PRODUCT[(a & 0xff) << 8 | (b & 0xff)] & 0xff;
    }

    static int inverse(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse");
        }
        return EXP[255 - LOG[a]] & 0xff;
    }

    /** The factor of data chunk {@code dataIndex} in chunk {@code chunk} of the block (a data chunk is itself; a repair chunk a mix). */
    int factor(int chunk, int dataIndex) {
        if (chunk < data) {
            return chunk == dataIndex ? 1 : 0;
        }
        return inverse((255 - (chunk - data)) ^ dataIndex);
    }

    /** Adds data chunk {@code dataIndex} ({@code length} bytes of {@code bytes}) into repair chunk {@code repair} ({@code into}). */
    public void addData(int repair, int dataIndex, byte[] bytes, int length, byte[] into) {
        if (repair < 0 || repair >= repairs || dataIndex < 0 || dataIndex >= data) {
            throw new IllegalArgumentException("no repair " + repair + " of data chunk " + dataIndex + " in a block of " + data + " + " + repairs);
        }
        addScaled(factor(data + repair, dataIndex), bytes, length, into);
    }

    /** {@code into} += {@code factor} × the first {@code length} bytes of {@code bytes}. */
    public static void addScaled(int factor, byte[] bytes, int length, byte[] into) {
        if (factor == 0) {
            return;
        }
        int row = factor << 8;
        for (int i = 0; i < length; i++) {
            into[i] ^= PRODUCT[row | (bytes[i] & 0xff)];
        }
    }

    /**
     * How to rebuild the data chunks the block lacks from {@code held} (exactly {@code data} distinct chunk numbers of
     * the block, data {@code 0..data-1} then repairs): {@code result[m][t]} is the factor of {@code held[t]} in missing
     * data chunk {@code missing[m]}. Every missing chunk is then Σ factor × held chunk, one pass over the held ones.
     */
    public int[][] rebuild(int[] held, int[] missing) {
        if (held.length != data) {
            throw new IllegalArgumentException("rebuilding a block of " + data + " data chunks takes " + data + " chunks, not " + held.length);
        }
        int[][] matrix = new int[data][];
        for (int row = 0; row < data; row++) {
            if (held[row] < 0 || held[row] >= data + repairs) {
                throw new IllegalArgumentException("no chunk " + held[row] + " in a block of " + data + " + " + repairs);
            }
            matrix[row] = new int[data];
            for (int column = 0; column < data; column++) {
                matrix[row][column] = factor(held[row], column);
            }
        }
        int[][] inverse = invert(matrix);
        int[][] factors = new int[missing.length][];
        for (int m = 0; m < missing.length; m++) {
            factors[m] = inverse[missing[m]];
        }
        return factors;
    }

    /** Gauss–Jordan elimination over the field; a singular matrix means a chunk was named twice. */
    private static int[][] invert(int[][] matrix) {
        int n = matrix.length;
        int[][] a = new int[n][];
        int[][] inverse = new int[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
            inverse[i][i] = 1;
        }
        for (int column = 0; column < n; column++) {
            int pivot = column;
            while (pivot < n && a[pivot][column] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalArgumentException("the chunks held do not determine the block: a chunk is named twice");
            }
            int[] swap = a[pivot];
            a[pivot] = a[column];
            a[column] = swap;
            swap = inverse[pivot];
            inverse[pivot] = inverse[column];
            inverse[column] = swap;
            int scale = inverse(a[column][column]);
            for (int j = 0; j < n; j++) {
                a[column][j] = multiply(a[column][j], scale);
                inverse[column][j] = multiply(inverse[column][j], scale);
            }
            for (int row = 0; row < n; row++) {
                int f = a[row][column];
                if (row != column && f != 0) {
                    for (int j = 0; j < n; j++) {
                        a[row][j] ^= multiply(f, a[column][j]);
                        inverse[row][j] ^= multiply(f, inverse[column][j]);
                    }
                }
            }
        }
        return inverse;
    }
}
