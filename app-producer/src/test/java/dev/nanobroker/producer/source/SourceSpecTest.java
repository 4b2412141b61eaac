package dev.nanobroker.producer.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one parser of {@code --source}: each kind, its text back, and one clear line for bad text. */
class SourceSpecTest {

    @Test
    void eachKindParsesAndPrintsBackAsGiven() {
        assertEquals(SourceSpec.PATTERN, SourceSpec.parse("pattern"));
        assertEquals(new SourceSpec.Camera(null), SourceSpec.parse("webcam"));
        assertEquals(new SourceSpec.Camera("/dev/video1"), SourceSpec.parse("webcam:/dev/video1"));
        assertEquals(new SourceSpec.VideoFile("/tmp/clip.mkv"), SourceSpec.parse("file:/tmp/clip.mkv"));
        for (String text : new String[] {"pattern", "webcam", "webcam:/dev/video1", "file:/tmp/a b.mkv"}) {
            assertEquals(text, SourceSpec.parse(text).toString());
        }
    }

    @Test
    void badSpecsAreRefusedSayingWhatWouldDo() {
        assertEquals("unknown source 'camera': use pattern, webcam, webcam:/dev/videoN or file:PATH",
                assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("camera")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("file:")).getMessage().contains("file:PATH"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("webcam:")).getMessage().contains("webcam:DEVICE"));
    }
}
