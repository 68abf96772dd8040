package io.outpost.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A git history that behaves like a real Terraform module repository's: most commits edit files in place
 * (a changelog that grows at the top, {@code .tf} files whose variables, defaults and resources change, docs
 * whose paragraphs are reworded), some add a file, every tenth is a release that only touches the changelog.
 * Seeded, so a bench run and a test see the same bytes. Written with JGit into a non-bare repo.
 */
public final class ModuleHistory {
    private static final String[] WORDS = ("the module network subnet route table instance cluster node pool bucket policy role "
            + "access log retention tag default value variable output provider region zone count enable disable support add fix "
            + "update remove rename document example test timeout lifecycle create destroy name prefix cidr block security group "
            + "rule ingress egress port protocol version upgrade deprecate release note breaking change minor patch").split(" ");
    private static final String[] KINDS = {"feat", "fix", "docs", "chore", "refactor"};
    private static final PersonIdent[] AUTHORS = {
        new PersonIdent("Ana Lima", "ana@example.org"), new PersonIdent("Sam Okafor", "sam@example.org"),
        new PersonIdent("Jo Berg", "jo@example.org")};

    private final Random random;
    private final TreeMap<String, List<String>> files = new TreeMap<>();
    private int commits;
    private int minor;
    private int patch;
    private long time = 1_700_000_000_000L;

    public ModuleHistory(long seed) {
        this.random = new Random(seed);
        files.put("CHANGELOG.md", new ArrayList<>(List.of("# Changelog", "", "## Unreleased", "")));
        for (String module : List.of("", "modules/network/", "modules/compute/")) {
            files.put(module + "main.tf", block("resource", 6));
            files.put(module + "variables.tf", block("variable", 8));
            files.put(module + "outputs.tf", block("output", 3));
        }
        files.put("README.md", paragraphs(12));
        files.put("docs/usage.md", paragraphs(20));
        files.put("versions.tf", new ArrayList<>(List.of("terraform {", "  required_version = \">= 1.5\"", "}")));
    }

    /** Writes the next {@code count} commits into {@code repo} (created when missing) and returns them, oldest first. */
    public List<RevCommit> commit(Path repo, int count) {
        try (Git git = Files.exists(repo.resolve(".git")) ? Git.open(repo.toFile()) : Git.init().setDirectory(repo.toFile())
                .setInitialBranch("main").call()) {
            List<RevCommit> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String message = change();
                for (var file : files.entrySet()) {
                    Path path = repo.resolve(file.getKey());
                    Files.createDirectories(path.getParent());
                    Files.write(path, (String.join("\n", file.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                git.add().addFilepattern(".").call();
                PersonIdent who = AUTHORS[random.nextInt(AUTHORS.length)];
                time += 3_600_000L + random.nextInt(86_400_000);
                PersonIdent author = new PersonIdent(who.getName(), who.getEmailAddress(), Instant.ofEpochMilli(time), ZoneOffset.UTC);
                made.add(git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call());
                commits++;
            }
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history into " + repo, e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit into " + repo + ": " + e.getMessage(), e);
        }
    }

    /** Changes the files as the next commit does; returns its message. */
    private String change() {
        if (commits > 0 && commits % 10 == 0) {
            patch++;
            String version = "1." + minor + "." + patch;
            List<String> log = files.get("CHANGELOG.md");
            log.set(2, "## " + version + " (" + Instant.ofEpochMilli(time).toString().substring(0, 10) + ")");
            log.add(2, "## Unreleased");
            log.add(3, "");
            return "chore(release): " + version;
        }
        String kind = KINDS[random.nextInt(KINDS.length)];
        String subject = sentence(4 + random.nextInt(5));
        List<String> paths = new ArrayList<>(files.keySet());
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            List<String> lines = files.get(path);
            if (path.endsWith(".md") && !path.equals("CHANGELOG.md")) {
                lines.set(random.nextInt(lines.size()), sentence(10 + random.nextInt(12)) + ".");
            } else if (path.endsWith(".tf") && !path.equals("versions.tf")) {
                int at = random.nextInt(lines.size());
                if (random.nextInt(4) == 0) {
                    lines.addAll(at - at % 5, block(path.endsWith("variables.tf") ? "variable" : path.endsWith("outputs.tf") ? "output" : "resource", 1));
                } else {
                    lines.set(at, "  " + word() + "_" + word() + " = \"" + word() + "-" + random.nextInt(1000) + "\"");
                }
            }
        }
        if (random.nextInt(12) == 0) {
            files.put("examples/" + word() + "-" + commits + "/main.tf", block("resource", 2));
        }
        if (kind.equals("feat")) {
            minor += random.nextInt(8) == 0 ? 1 : 0;
        }
        files.get("CHANGELOG.md").add(4, "- " + kind + ": " + subject);
        return kind + ": " + subject + "\n\n" + sentence(12 + random.nextInt(20)) + ".\n";
    }

    private ArrayList<String> block(String keyword, int count) {
        ArrayList<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = word() + "_" + word();
            lines.add(keyword + (keyword.equals("resource") ? " \"aws_" + word() + "\"" : "") + " \"" + name + "\" {");
            lines.add("  description = \"" + sentence(5 + random.nextInt(6)) + "\"");
            lines.add("  " + word() + " = " + (random.nextBoolean() ? "\"" + word() + "\"" : String.valueOf(random.nextInt(100))));
            lines.add("}");
            lines.add("");
        }
        return lines;
    }

    private ArrayList<String> paragraphs(int count) {
        ArrayList<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(sentence(10 + random.nextInt(12)) + ".");
            lines.add("");
        }
        return lines;
    }

    private String sentence(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(word());
        }
        return text.toString();
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
