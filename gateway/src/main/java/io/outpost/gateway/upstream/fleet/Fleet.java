package io.outpost.gateway.upstream.fleet;

import io.outpost.content.Names;
import io.outpost.data.DurableFiles;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.link.trust.PublicKeyLine;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outposts an upstream serves, one file each under {@code DATA/upstream/fleet/<outpost>.json}, their keys among the
 * upstream's trusted keys. The commands write here; the running upstream gateway reads it every few seconds, so an
 * outpost added, suspended or removed is served so without a restart.
 */
public final class Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    private final Path dir;
    private final TrustedKeys trusted;
    /** Files found unreadable and said so; said again only after they were read once more. */
    private final Set<Path> unreadable = new HashSet<>();

    public Fleet(SiteData upstream) {
        this.dir = upstream.fleet();
        this.trusted = TrustedKeys.in(upstream.keys());
    }

    /** Adds the outpost whose key line this is (or changes what it may have): its frames are trusted, and it is served. */
    public FleetMember add(PublicKeyLine key, TenantAllowlists.Grant grant, Map<String, TenantAllowlists.Grant> tenants) {
        FleetMember member = new FleetMember(key.site(), grant, tenants, false);
        trusted.trust(key);
        write(member);
        return member;
    }

    /** Stops serving {@code outpost}, or serves it again; what it holds at the upstream is kept either way. */
    public FleetMember suspend(String outpost, boolean suspended) {
        FleetMember member = member(outpost).orElseThrow(() -> notInFleet(outpost)).suspended(suspended);
        write(member);
        return member;
    }

    /** Removes {@code outpost} and the trust in its key; its folder at the upstream stays, for an outpost added again. */
    public void remove(String outpost) {
        Path file = fileOf(outpost);
        if (!Files.exists(file)) {
            throw notInFleet(outpost);
        }
        trusted.forget(outpost);
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    public Optional<FleetMember> member(String outpost) {
        Path file = fileOf(outpost);
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /** Every outpost added, by name; a file that cannot be read is said once and left out until it can. */
    public synchronized List<FleetMember> members() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<FleetMember> members = new ArrayList<>();
            for (Path file : files.filter(file -> file.toString().endsWith(".json")).sorted().toList()) {
                try {
                    members.add(read(file));
                    unreadable.remove(file);
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    if (unreadable.add(file)) {
                        LOG.warn("{}: {}; that outpost is not served until 'outpost fleet add' writes it again", file, e.getMessage());
                    }
                }
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the fleet in " + dir, e);
        }
    }

    private Path fileOf(String outpost) {
        return dir.resolve(Names.requireOutpost(outpost) + ".json");
    }

    private void write(FleetMember member) {
        try {
            Files.createDirectories(dir);
            DurableFiles.writeAtomically(fileOf(member.outpost()), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(member));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record outpost " + member.outpost() + " in " + dir, e);
        }
    }

    private static FleetMember read(Path file) {
        try {
            FleetMember member = Json.MAPPER.readValue(file.toFile(), FleetMember.class);
            if (!file.getFileName().toString().equals(member.outpost() + ".json")) {
                throw new IllegalArgumentException("it names outpost '" + member.outpost() + "'");
            }
            return member;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException notInFleet(String outpost) {
        return new IllegalArgumentException("outpost '" + outpost + "' is not in this upstream's fleet (" + dir + "); 'outpost fleet list' shows it");
    }
}
