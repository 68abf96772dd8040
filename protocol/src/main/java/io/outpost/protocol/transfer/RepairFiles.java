package io.outpost.protocol.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The repair chunks a receiver holds of one block of a transfer: {@code repairs/<index>} (the bytes) and
 * {@code repairs/<index>.block} ({@code REPAIR FROM-TO,FROM-TO…}: its repair number and the chunks it covers), by
 * repair number.
 */
final class RepairFiles {
    private final TreeMap<Integer, Path> byRepair = new TreeMap<>();

    /** What {@code <index>.block} holds for {@code chunk}. */
    static byte[] block(Chunk chunk) {
        StringBuilder text = new StringBuilder().append(chunk.repair()).append(' ');
        for (TransferReport.Range range : chunk.covers()) {
            text.append(text.charAt(text.length() - 1) == ' ' ? "" : ",").append(range.from()).append('-').append(range.to());
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The repair chunks held under {@code dir}, grouped by the chunks they cover; one whose block cannot be read is left out. */
    static Map<List<TransferReport.Range>, RepairFiles> byBlock(Path dir) {
        Map<List<TransferReport.Range>, RepairFiles> blocks = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return blocks;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9]+")).sorted().toList()) {
                Path block = file.resolveSibling(file.getFileName() + ".block");
                if (!Files.exists(block)) {
                    continue;
                }
                String[] parts = Files.readString(block, StandardCharsets.UTF_8).strip().split(" ", 2);
                List<TransferReport.Range> covers = new ArrayList<>();
                for (String range : parts[1].split(",")) {
                    String[] ends = range.split("-");
                    covers.add(new TransferReport.Range(Integer.parseInt(ends[0]), Integer.parseInt(ends[1])));
                }
                blocks.computeIfAbsent(List.copyOf(covers), c -> new RepairFiles()).byRepair.putIfAbsent(Integer.parseInt(parts[0]), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the repair chunks in " + dir, e);
        }
        return blocks;
    }

    /** Repair numbers held, ascending. */
    List<Integer> repairs() {
        return List.copyOf(byRepair.keySet());
    }

    int highestRepair() {
        return byRepair.lastKey();
    }

    byte[] bytes(int repair) throws IOException {
        return Files.readAllBytes(byRepair.get(repair));
    }

    /** Forgets these repair chunks: their block is whole. */
    void delete() {
        for (Path file : byRepair.values()) {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".block"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove a used repair chunk " + file, e);
            }
        }
    }
}
