package io.outpost.data;

import java.nio.file.Path;

/**
 * The top of a data directory ({@code --data}): one folder per site and one for the simulated link. With
 * {@link SiteData} and {@link NamespaceData} it is the one place that knows where things live under it:
 * <pre>
 *   DATA/outpost/    the outpost site ({@link #outpost()})
 *   DATA/upstream/   the upstream site ({@link #upstream()}), with the demo origin under origin/
 *   DATA/link/       the link's byte counts, the simulator's settings, the real link's connection and budget
 * </pre>
 */
public record DataDirectory(Path root) {
    public static final String OUTPOST = "outpost";
    public static final String UPSTREAM = "upstream";

    public DataDirectory {
        root = root.toAbsolutePath().normalize();
    }

    public SiteData outpost() {
        return site(OUTPOST);
    }

    public SiteData upstream() {
        return site(UPSTREAM);
    }

    /** The site named {@code site}: {@link #OUTPOST} or {@link #UPSTREAM}. */
    public SiteData site(String site) {
        if (!OUTPOST.equals(site) && !UPSTREAM.equals(site)) {
            throw new IllegalArgumentException("no site '" + site + "': a data directory has '" + OUTPOST + "' and '" + UPSTREAM + "'");
        }
        return new SiteData(root.resolve(site));
    }

    /** The simulated link's folder: its settings ({@code settings.json}) and byte counts ({@code stats.json}). */
    public Path link() {
        return root.resolve("link");
    }

    public Path linkSettings() {
        return link().resolve("settings.json");
    }

    public Path linkStats() {
        return link().resolve("stats.json");
    }

    /** The real link's connection as the outpost gateway last saw it: connected, since when, reconnects, round trip. */
    public Path linkConnection() {
        return link().resolve("connection.json");
    }

    /** What the real link spent of its daily budget today. */
    public Path linkBudgetSpent() {
        return link().resolve("budget-spent");
    }

    /** The demo origin at the upstream site: its git repos, registry storage and provider registry. */
    public Path origin() {
        return upstream().dir().resolve("origin");
    }

    public Path originGit() {
        return origin().resolve("git");
    }

    public Path originRegistry() {
        return origin().resolve("registry");
    }

    /** Where the demo origin builds its images before pushing them. */
    public Path originImages() {
        return origin().resolve("images");
    }

    public Path originProviders() {
        return origin().resolve("providers");
    }

    /** The demo origin's module archives. */
    public Path originModules() {
        return origin().resolve("modules");
    }

    /** The folder, as operators read it in messages. */
    @Override
    public String toString() {
        return root.toString();
    }
}
