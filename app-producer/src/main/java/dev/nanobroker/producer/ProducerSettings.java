package dev.nanobroker.producer;

import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingLayout;
import dev.nanobroker.ring.SharedRing;

import java.time.Duration;

/**
 * Everything a producer run needs, as the command line and the window set it. {@link #validate()}
 * turns values no ring can take into one clear message, the same in both places.
 *
 * @param source       where the frames come from ({@link SourceSpec#parse} reads the command line's text)
 * @param fps          frames per second; 0 = as fast as possible (a file plays at its own rate then)
 * @param frames       frames to produce, 0 = until stopped
 * @param checksum     store each frame's checksum in its slot (costs ~1 ms per 1080p frame)
 */
public record ProducerSettings(String ringName, int width, int height, int slots, double fps, long frames,
                               String policy, long blockTimeoutMillis, int waitReaders, SourceSpec source,
                               String pattern, PatternOptions patternOptions, boolean overlay, boolean checksum,
                               boolean unlink) {

    /** @throws IllegalArgumentException naming the first value that cannot work */
    public ProducerSettings validate() {
        SharedRing.pathOf(ringName);
        geometry();
        if (!(fps >= 0) || fps > 10_000) {
            throw new IllegalArgumentException("frame rate " + fps + " is out of range: use 0 (as fast as possible) up to 10000 fps");
        }
        if (frames < 0) {
            throw new IllegalArgumentException("frame count " + frames + " must not be negative (0 = until stopped)");
        }
        if (blockTimeoutMillis < 0) {
            throw new IllegalArgumentException("block timeout " + blockTimeoutMillis + " ms must not be negative");
        }
        if (waitReaders < 0 || waitReaders > RingLayout.MAX_READERS) {
            throw new IllegalArgumentException("readers to wait for must be 0.." + RingLayout.MAX_READERS + ", not " + waitReaders);
        }
        overflowPolicy();
        return this;
    }

    public RingGeometry geometry() {
        return RingGeometry.of(width, height, slots);
    }

    public OverflowPolicy overflowPolicy() {
        return OverflowPolicy.parse(policy, Duration.ofMillis(blockTimeoutMillis));
    }

    public ProducerSettings withSize(int newWidth, int newHeight) {
        return new ProducerSettings(ringName, newWidth, newHeight, slots, fps, frames, policy, blockTimeoutMillis,
                waitReaders, source, pattern, patternOptions, overlay, checksum, unlink);
    }
}
