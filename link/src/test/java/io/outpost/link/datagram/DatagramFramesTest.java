package io.outpost.link.datagram;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatagramFramesTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final Random random = new Random(20261202L);

    @Test
    void aChunkSizedFrameArrivesWholeThoughAsManyDatagramsAsItHasRepairsAreLost() {
        byte[] frame = bytes(262_500);
        List<byte[]> datagrams = DatagramFrames.encode(1, "Chunk", frame, 0.05);
        int data = (frame.length + DatagramFrames.FRAGMENT_BYTES - 1) / DatagramFrames.FRAGMENT_BYTES;
        int repairs = datagrams.size() - data;
        assertThat(repairs).as("coded for 5 %% loss").isBetween(10, 40);
        assertThat(datagrams).allSatisfy(datagram -> assertThat(datagram.length).as("under the least IPv6 MTU").isLessThan(1280 - 48));

        List<byte[]> arriving = new ArrayList<>(datagrams);
        Collections.shuffle(arriving, random);
        arriving = arriving.subList(repairs, arriving.size());
        Optional<FrameReassembly.Frame> whole = deliver(new FrameReassembly(Duration.ofSeconds(30), (type, bytes) -> { }), arriving);

        assertThat(whole).get().satisfies(f -> {
            assertThat(f.bytes()).isEqualTo(frame);
            assertThat(f.type()).isEqualTo("Chunk");
        });
    }

    @Test
    void oneDatagramMoreLostAndTheFrameIsLostToo() {
        byte[] frame = bytes(20_000);
        List<byte[]> datagrams = DatagramFrames.encode(2, "Chunk", frame, 0.05);
        int data = (frame.length + DatagramFrames.FRAGMENT_BYTES - 1) / DatagramFrames.FRAGMENT_BYTES;
        List<String> lost = new ArrayList<>();
        FrameReassembly reassembly = new FrameReassembly(Duration.ofSeconds(30), (type, bytes) -> lost.add(type + " " + bytes));

        assertThat(deliver(reassembly, datagrams.subList(datagrams.size() - data + 1, datagrams.size()))).isEmpty();
        assertThat(reassembly.accept(DatagramFrames.decode(datagrams.get(0), datagrams.get(0).length), NOW.plusSeconds(31))).isEmpty();
        assertThat(lost).as("it waited past its patience: counted lost").containsExactly("Chunk 20000");
    }

    @Test
    void aDamagedOrForeignDatagramIsDroppedAndLateFragmentsOfAWholeFrameAreToo() {
        byte[] frame = bytes(300);
        List<byte[]> datagrams = DatagramFrames.encode(3, "GitSync", frame, 0.2);
        assertThat(datagrams).as("one fragment and its copies-in-effect").hasSizeGreaterThan(2);
        byte[] damaged = datagrams.get(0).clone();
        damaged[40] ^= 1;
        assertThat(DatagramFrames.decode(damaged, damaged.length)).isNull();
        assertThat(DatagramFrames.decode("not ours".getBytes(), 8)).isNull();

        FrameReassembly reassembly = new FrameReassembly(Duration.ofSeconds(30), (type, bytes) -> { });
        assertThat(deliver(reassembly, datagrams.subList(1, 2))).get().satisfies(f -> assertThat(f.bytes()).isEqualTo(frame));
        assertThat(deliver(reassembly, datagrams.subList(0, 1))).as("the frame is whole already").isEmpty();
    }

    @Test
    void atMost64FramesWaitForTheirFragments() {
        List<String> lost = new ArrayList<>();
        FrameReassembly reassembly = new FrameReassembly(Duration.ofMinutes(10), (type, bytes) -> lost.add(type));
        for (long id = 0; id < FrameReassembly.MAX_PARTIAL + 5; id++) {
            byte[] first = DatagramFrames.encode(100 + id, "Chunk", bytes(5000), 0.01).get(0);
            reassembly.accept(DatagramFrames.decode(first, first.length), NOW);
        }
        assertThat(lost).as("the oldest crowded out").hasSize(5);
    }

    private static Optional<FrameReassembly.Frame> deliver(FrameReassembly reassembly, List<byte[]> datagrams) {
        Optional<FrameReassembly.Frame> whole = Optional.empty();
        for (byte[] datagram : datagrams) {
            Optional<FrameReassembly.Frame> frame = reassembly.accept(DatagramFrames.decode(datagram, datagram.length), NOW);
            whole = frame.isPresent() ? frame : whole;
        }
        return whole;
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
