package io.outpost.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a setting not given on the command line comes from: the environment ({@code --provider-mirror-port}
 * is {@code OUTPOST_PROVIDER_MIRROR_PORT}), then the {@code --config} file ({@code provider-mirror-port = 5758}),
 * then the setting's own default. Settings that take several values take them comma-separated there.
 */
final class SettingsDefaults implements IDefaultValueProvider {
    static final String CONFIG_OPTION = "--config";

    private final Map<String, String> environment;
    private final Properties file;

    private SettingsDefaults(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /** The defaults for a command line {@code args}, reading the {@code --config} file it names, if any. */
    static SettingsDefaults of(String[] args, Map<String, String> environment) {
        Properties file = new Properties();
        Optional<Path> config = configFile(args, environment);
        if (config.isPresent()) {
            try (Reader in = Files.newBufferedReader(config.get())) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the settings file " + config.get() + ": " + e.getMessage(), e);
            }
        }
        return new SettingsDefaults(environment, file);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp() || option.longestName().equals(CONFIG_OPTION)) {
            return null;
        }
        // a setting with an older name too ({@code --name}, alias {@code --outpost}) is found under either; its first name wins
        for (String name : option.names()) {
            String fromEnvironment = environment.get(variable(name.replaceFirst("^--", "")));
            if (fromEnvironment != null) {
                return fromEnvironment;
            }
        }
        for (String name : option.names()) {
            String fromFile = file.getProperty(name.replaceFirst("^--", ""));
            if (fromFile != null) {
                return fromFile;
            }
        }
        return null;
    }

    /** The environment variable of setting {@code name}: {@code OUTPOST_} and its name in upper case, '-' as '_'. */
    static String variable(String name) {
        return "OUTPOST_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Optional<Path> configFile(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return Optional.of(Path.of(args[i].substring(CONFIG_OPTION.length() + 1)));
            }
        }
        return Optional.ofNullable(environment.get(variable("config"))).map(Path::of);
    }
}
