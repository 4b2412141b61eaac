package dev.nanobroker.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ManifestVersionTest {

    @Test
    void aClassFromABuiltJarHasItsManifestsVersion() {
        String version = ManifestVersion.of(Test.class);
        assertNotEquals("development build", version);
        assertTrue(version.matches("\\d+\\.\\d+.*"), version);
    }

    @Test
    void aClassFromAClassesDirectoryIsADevelopmentBuild() {
        assertEquals("development build", ManifestVersion.of(ManifestVersionTest.class));
    }
}
