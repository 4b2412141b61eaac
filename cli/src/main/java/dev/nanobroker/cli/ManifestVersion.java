package dev.nanobroker.cli;

import picocli.CommandLine;

/** The version written into the jar's manifest by the build. */
final class ManifestVersion implements CommandLine.IVersionProvider {

    static String version() {
        String version = NanoBrokerCommand.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nanobroker " + version(), "Java " + Runtime.version()};
    }
}
