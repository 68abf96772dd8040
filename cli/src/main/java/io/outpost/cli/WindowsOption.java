package io.outpost.cli;

import io.outpost.link.OutageSchedule;
import picocli.CommandLine.Option;

/** When the link may send: for the simulated link (demo, link-sim) and the real one (outpost-gateway --upstream). */
final class WindowsOption {
    @Option(names = "--windows", description = {"When the link is up: 'up 40s every 60s' (cycles counted from the Unix epoch),",
            "or outages as 'down 2026-11-23T10:00:00Z+30m, ...' (default: always up)."})
    String windows;

    OutageSchedule schedule() {
        return windows == null ? OutageSchedule.alwaysUp() : OutageSchedule.parse(windows, Quantities::duration);
    }
}
