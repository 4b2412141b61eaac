package dev.nanobroker.process;

/** The version the build writes into a jar's manifest ({@code Implementation-Version}). */
public final class ManifestVersion {

    private ManifestVersion() {
    }

    /**
     * The version of the jar that holds {@code anchor}, or "development build" when that class was
     * not loaded from a built jar (tests, an IDE).
     */
    public static String of(Class<?> anchor) {
        String version = anchor.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
