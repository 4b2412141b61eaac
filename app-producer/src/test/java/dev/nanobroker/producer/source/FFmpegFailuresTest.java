package dev.nanobroker.producer.source;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FFmpegFailuresTest {

    @Test
    void anFFmpegErrorWithoutWordsOfOursIsFFmpegsOwnWordsAndNothingAfterThem() {
        // -5 (EIO) has no case of its own: FFmpeg's text for it, ending where FFmpeg's string ends.
        String reason = FFmpegFailures.reasonOf(new RuntimeException("avformat_open_input() error -5: Could not open input"), false);
        assertEquals("input/output error", reason);
    }
}
