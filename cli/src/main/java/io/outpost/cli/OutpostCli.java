package io.outpost.cli;

import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code outpost} launcher. */
@Command(name = "outpost", mixinStandardHelpOptions = true, version = "outpost 0.1.0",
        description = "Infrastructure-as-code at the far end of a slow, intermittent link.",
        subcommands = {DemoCommand.class, OutpostGatewayCommand.class, UpstreamGatewayCommand.class,
                LinkSimCommand.class, WorkerCommand.class, StatusCommand.class, BenchCommand.class, SubscribeCommand.class, SyncCommand.class, DeadCommand.class,
                InventoryCommand.class, ExportCommand.class, ImportCommand.class, KeysCommand.class, FleetCommand.class, MirrorConfigCommand.class})
public final class OutpostCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // slf4j-simple reads its level once, when the first logger is made: decide before anything logs.
        if (Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        System.exit(execute(args, System.getenv()));
    }

    /** Runs {@code args} with settings not on the command line taken from {@code environment} and the {@code --config} file. */
    public static int execute(String[] args, Map<String, String> environment) {
        SettingsDefaults defaults;
        try {
            defaults = SettingsDefaults.of(args, environment);
        } catch (IllegalArgumentException e) {
            System.err.println("outpost: " + e.getMessage());
            return 2;
        }
        return commandLine().setDefaultValueProvider(defaults).execute(args);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new OutpostCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("outpost " + cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                });
    }
}
