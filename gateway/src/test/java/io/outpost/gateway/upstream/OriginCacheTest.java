package io.outpost.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One download per digest for the whole fleet, only of what hashes as asked, within a bound. */
class OriginCacheTest {
    @TempDir
    Path dir;

    private static String sha256(String content) {
        return Digests.sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A download of {@code content}, counted. */
    private static OriginCache.Download serving(String content, AtomicInteger downloads) {
        return file -> {
            downloads.incrementAndGet();
            Files.writeString(file, content);
            return sha256(content);
        };
    }

    @Test
    void theSecondOutpostsCopyComesFromTheCacheWithNoDownload() throws Exception {
        OriginCache cache = new OriginCache(dir.resolve("cache"), 1 << 20, Set::of, Clock.systemUTC());
        AtomicInteger downloads = new AtomicInteger();
        String blob = "layer bytes";

        long first = cache.copy(sha256(blob), dir.resolve("spool-a"), serving(blob, downloads));
        long second = cache.copy(sha256(blob), dir.resolve("spool-b"), serving(blob, downloads));

        assertThat(downloads).hasValue(1);
        assertThat(first).isEqualTo(second).isEqualTo(blob.length());
        assertThat(dir.resolve("spool-b")).hasContent(blob);
        assertThat(cache.downloads()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        // the spool's file goes with its answer; the cache keeps its own
        Files.delete(dir.resolve("spool-a"));
        assertThat(cache.copy(sha256(blob), dir.resolve("spool-c"), serving(blob, downloads))).isEqualTo(blob.length());
        assertThat(downloads).hasValue(1);
    }

    @Test
    void contentThatHashesOtherwiseIsRefusedAndNothingIsKept() {
        OriginCache cache = new OriginCache(dir.resolve("cache"), 1 << 20, Set::of, Clock.systemUTC());
        String asked = sha256("what the manifest names");

        assertThatThrownBy(() -> cache.copy(asked, dir.resolve("spool"), serving("something else", new AtomicInteger())))
                .isInstanceOfSatisfying(OriginCache.DigestMismatchException.class, e -> assertThat(e.actual()).isEqualTo(sha256("something else")));
        assertThat(dir.resolve("cache")).isEmptyDirectory();
        assertThat(cache.downloads()).isZero();
    }

    @Test
    void pastItsBoundTheLeastRecentlyUsedGoesFirst() throws Exception {
        MutableClock clock = new MutableClock();
        OriginCache cache = new OriginCache(dir.resolve("cache"), 25, Set::of, clock);
        AtomicInteger downloads = new AtomicInteger();
        String old = "ten bytes!";
        String used = "ten bytes?";
        String fresh = "ten bytes.";
        cache.copy(sha256(old), dir.resolve("a"), serving(old, downloads));
        clock.pass();
        cache.copy(sha256(used), dir.resolve("b"), serving(used, downloads));
        clock.pass();
        cache.copy(sha256(old), dir.resolve("c"), serving(old, downloads));
        clock.pass();

        cache.copy(sha256(fresh), dir.resolve("d"), serving(fresh, downloads));

        assertThat(dir.resolve("cache").resolve(sha256(used))).as("used least recently").doesNotExist();
        assertThat(dir.resolve("cache").resolve(sha256(old))).exists();
        assertThat(dir.resolve("cache").resolve(sha256(fresh))).exists();
        assertThat(downloads).hasValue(3);
    }

    @Test
    void pastItsBoundWhatEveryOutpostHoldsGoesBeforeWhatOneLacks() throws Exception {
        String lacked = "ten bytes!";
        String heldByAll = "ten bytes?";
        String fresh = "ten bytes.";
        MutableClock clock = new MutableClock();
        OriginCache cache = new OriginCache(dir.resolve("cache"), 25, () -> Set.of("sha256:" + sha256(heldByAll)), clock);
        AtomicInteger downloads = new AtomicInteger();
        cache.copy(sha256(lacked), dir.resolve("a"), serving(lacked, downloads));
        clock.pass();
        cache.copy(sha256(heldByAll), dir.resolve("b"), serving(heldByAll, downloads));
        clock.pass();

        cache.copy(sha256(fresh), dir.resolve("c"), serving(fresh, downloads));

        assertThat(dir.resolve("cache").resolve(sha256(heldByAll))).as("every outpost holds it, though used more recently").doesNotExist();
        assertThat(dir.resolve("cache").resolve(sha256(lacked))).as("an outpost still lacks it").exists();
    }

    @Test
    void aDownloadACrashCutShortIsRemovedWhenTheCacheOpens() throws Exception {
        Path partial = dir.resolve("cache").resolve(sha256("x") + ".partial-1234");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "cut sh");
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path underWay = dir.resolve("cache").resolve(sha256("y") + ".partial-5678");
        Files.writeString(underWay, "another gateway's");

        new OriginCache(dir.resolve("cache"), 1 << 20, Set::of, Clock.systemUTC());

        assertThat(partial).doesNotExist();
        assertThat(underWay).as("another gateway may be downloading it").exists();
    }

    /** File times of a second's resolution or better, moved on by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void pass() {
            now = now.plus(Duration.ofSeconds(10));
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
