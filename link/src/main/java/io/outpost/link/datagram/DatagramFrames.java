package io.outpost.link.datagram;

import io.outpost.protocol.transfer.ErasureCode;
import io.outpost.protocol.transfer.RepairPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The datagram format of the link over UDP: a frame (one signed envelope, up to a chunk and its headers) goes as
 * {@code k} fragments of at most {@link #FRAGMENT_BYTES} and {@code r} repair fragments ({@link ErasureCode} over the
 * fragments), so the frame arrives whole while no more than {@code r} of its {@code k + r} datagrams are lost.
 * <pre>
 *   "OPD1" | frame id (8) | fragment (2) | k (2) | r (1) | frame length (4) | type length (1) | type | payload | CRC-32 (4)
 * </pre>
 * The CRC covers the datagram: a damaged one is dropped like a lost one. Fragments of a frame are coded at one length
 * (the last data fragment counts as padded with zeros).
 */
public final class DatagramFrames {
    /** Payload per datagram: with the headers under 1280 bytes, the least MTU an IPv6 path has, so none is fragmented. */
    public static final int FRAGMENT_BYTES = 1200;
    private static final byte[] MAGIC = "OPD1".getBytes(StandardCharsets.US_ASCII);
    private static final int CRC_BYTES = 4;
    /** A frame is coded so that it is lost at most this often, on top of what its transfer layer recovers. */
    static final double FRAME_LOST = 0.001;

    /** One datagram, parsed. */
    public record Fragment(long frameId, int index, int dataFragments, int repairs, int frameLength, String type, byte[] payload) {
    }

    private DatagramFrames() {
    }

    /** Repair fragments for a frame of {@code dataFragments} on a link that loses {@code loss} of its datagrams. */
    static int repairsFor(int dataFragments, double loss) {
        return RepairPolicy.leastRepairs(dataFragments, loss, FRAME_LOST, ErasureCode.MAX_CHUNKS - dataFragments);
    }

    /** The datagrams that carry {@code frame} (of message type {@code type}) as frame {@code frameId}, at {@code loss}. */
    public static List<byte[]> encode(long frameId, String type, byte[] frame, double loss) {
        int fragment = Math.max(FRAGMENT_BYTES, (frame.length + ErasureCode.MAX_CHUNKS - 2) / (ErasureCode.MAX_CHUNKS - 1));
        int data = Math.max(1, (frame.length + fragment - 1) / fragment);
        int repairs = repairsFor(data, loss);
        ErasureCode code = new ErasureCode(data, repairs);
        int length = Math.min(fragment, frame.length);
        byte[][] repairBytes = new byte[repairs][length];
        List<byte[]> datagrams = new ArrayList<>();
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < data; i++) {
            int from = i * fragment;
            byte[] payload = java.util.Arrays.copyOfRange(frame, from, Math.min(frame.length, from + fragment));
            for (int j = 0; j < repairs; j++) {
                code.addData(j, i, payload, payload.length, repairBytes[j]);
            }
            datagrams.add(datagram(frameId, i, data, repairs, frame.length, typeBytes, payload));
        }
        for (int j = 0; j < repairs; j++) {
            datagrams.add(datagram(frameId, data + j, data, repairs, frame.length, typeBytes, repairBytes[j]));
        }
        return datagrams;
    }

    private static byte[] datagram(long frameId, int index, int data, int repairs, int frameLength, byte[] type, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 8 + 2 + 2 + 1 + 4 + 1 + type.length + payload.length + CRC_BYTES);
        out.put(MAGIC).putLong(frameId).putShort((short) index).putShort((short) data).put((byte) repairs).putInt(frameLength)
                .put((byte) type.length).put(type).put(payload);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** The fragment {@code length} bytes of {@code datagram} carry; null when it is not one of ours or was damaged. */
    public static Fragment decode(byte[] datagram, int length) {
        int header = MAGIC.length + 8 + 2 + 2 + 1 + 4 + 1;
        if (length < header + CRC_BYTES || !java.util.Arrays.equals(datagram, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(datagram, 0, length - CRC_BYTES);
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length);
        if ((int) crc.getValue() != in.getInt(length - CRC_BYTES)) {
            return null;
        }
        in.position(MAGIC.length);
        long frameId = in.getLong();
        int index = in.getShort() & 0xffff;
        int data = in.getShort() & 0xffff;
        int repairs = in.get() & 0xff;
        int frameLength = in.getInt();
        int typeLength = in.get() & 0xff;
        if (data < 1 || data + repairs > ErasureCode.MAX_CHUNKS || index >= data + repairs || frameLength < 0
                || header + typeLength + CRC_BYTES > length) {
            return null;
        }
        byte[] type = new byte[typeLength];
        in.get(type);
        byte[] payload = new byte[length - CRC_BYTES - in.position()];
        in.get(payload);
        return new Fragment(frameId, index, data, repairs, frameLength, new String(type, StandardCharsets.UTF_8), payload);
    }
}
