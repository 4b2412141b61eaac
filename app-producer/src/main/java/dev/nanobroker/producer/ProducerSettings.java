package dev.nanobroker.producer;

import dev.nanobroker.producer.pattern.PatternOptions;
import dev.nanobroker.producer.source.SourceSpec;
import dev.nanobroker.ring.OverflowPolicy;
import dev.nanobroker.ring.RingGeometry;
import dev.nanobroker.ring.RingLayout;
import dev.nanobroker.ring.SharedRing;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a producer run needs, as the command line and the window set it: start from
 * {@link #defaults} and change what differs with the {@code with…} methods. Every value is checked
 * as it is set, so settings that exist can run; a value no ring can take is an
 * {@link IllegalArgumentException} with one clear message, the same from the command line and the
 * window. The typed parts check themselves: {@link RingGeometry} the size and slots,
 * {@link OverflowPolicy} the policy, {@link PatternOptions} the pattern's knobs.
 *
 * @param ringName       the ring: the file /dev/shm/NAME
 * @param geometry       frame size and slots (a camera or file replaces the size with its own)
 * @param fps            frames per second; 0 = as fast as possible (a camera or file: at its own rate)
 * @param frames         frames to produce, 0 = until stopped
 * @param policy         what the producer does when the slowest reader is a whole ring behind
 * @param waitReaders    readers to wait for before the first frame
 * @param source         where the frames come from ({@link SourceSpec#parse} reads the command line's text)
 * @param pattern        the test pattern's name, drawn when the source is {@link SourceSpec#PATTERN}
 * @param patternOptions the pattern's knobs
 * @param overlay        burn the frame number and time into every frame
 * @param checksum       store each frame's checksum in its slot (costs ~1 ms per 1080p frame)
 * @param unlink         remove the ring's file when the run ends
 */
public record ProducerSettings(String ringName, RingGeometry geometry, double fps, long frames, OverflowPolicy policy,
                               int waitReaders, SourceSpec source, String pattern, PatternOptions patternOptions,
                               boolean overlay, boolean checksum, boolean unlink) {

    /** How long {@code block} waits for a slow reader unless told otherwise. */
    public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(1);

    /** @throws IllegalArgumentException naming the first value that cannot work */
    public ProducerSettings {
        SharedRing.pathOf(ringName);
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(patternOptions, "patternOptions");
        if (!(fps >= 0) || fps > 10_000) {
            throw new IllegalArgumentException("frame rate " + fps + " is out of range: use 0 (as fast as possible) up to 10000 fps");
        }
        if (frames < 0) {
            throw new IllegalArgumentException("frame count " + frames + " must not be negative (0 = until stopped)");
        }
        if (waitReaders < 0 || waitReaders > RingLayout.MAX_READERS) {
            throw new IllegalArgumentException("readers to wait for must be 0.." + RingLayout.MAX_READERS + ", not " + waitReaders);
        }
    }

    /**
     * The command line's defaults on ring {@code ringName}: the smpte pattern at 1280x720, 8 slots,
     * 60 fps until stopped, {@code block} for up to {@link #DEFAULT_BLOCK_TIMEOUT}, every frame
     * checksummed, no overlay, the ring left in place at the end.
     */
    public static ProducerSettings defaults(String ringName) {
        return new ProducerSettings(ringName, RingGeometry.of(1280, 720, 8), 60, 0, OverflowPolicy.block(DEFAULT_BLOCK_TIMEOUT),
                0, SourceSpec.PATTERN, "smpte", PatternOptions.DEFAULTS, false, true, false);
    }

    /**
     * The policy as the command line and the window name it: {@code block}, {@code drop} or
     * {@code overwrite}, with the longest wait for a slow reader under {@code block}.
     *
     * @throws IllegalArgumentException for another name or a negative timeout
     */
    public static OverflowPolicy overflowPolicy(String name, long blockTimeoutMillis) {
        if (blockTimeoutMillis < 0) {
            throw new IllegalArgumentException("block timeout " + blockTimeoutMillis + " ms must not be negative");
        }
        return OverflowPolicy.parse(name, Duration.ofMillis(blockTimeoutMillis));
    }

    public ProducerSettings withRingName(String newRingName) {
        return new ProducerSettings(newRingName, geometry, fps, frames, policy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    /** The same slots at another frame size. */
    public ProducerSettings withSize(int width, int height) {
        return withGeometry(RingGeometry.of(width, height, geometry.slotCount()));
    }

    public ProducerSettings withSlots(int slots) {
        return withGeometry(RingGeometry.of(geometry.width(), geometry.height(), slots));
    }

    private ProducerSettings withGeometry(RingGeometry newGeometry) {
        return new ProducerSettings(ringName, newGeometry, fps, frames, policy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withFps(double newFps) {
        return new ProducerSettings(ringName, geometry, newFps, frames, policy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withFrames(long newFrames) {
        return new ProducerSettings(ringName, geometry, fps, newFrames, policy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withPolicy(OverflowPolicy newPolicy) {
        return new ProducerSettings(ringName, geometry, fps, frames, newPolicy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withWaitReaders(int newWaitReaders) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, newWaitReaders, source, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withSource(SourceSpec newSource) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, newSource, pattern,
                patternOptions, overlay, checksum, unlink);
    }

    /** Another test pattern, by its name in {@link dev.nanobroker.producer.pattern.PatternCatalog}. */
    public ProducerSettings withPattern(String newPattern) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, source, newPattern,
                patternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withPatternOptions(PatternOptions newPatternOptions) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, source, pattern,
                newPatternOptions, overlay, checksum, unlink);
    }

    public ProducerSettings withOverlay(boolean newOverlay) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, source, pattern,
                patternOptions, newOverlay, checksum, unlink);
    }

    public ProducerSettings withChecksum(boolean newChecksum) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, source, pattern,
                patternOptions, overlay, newChecksum, unlink);
    }

    public ProducerSettings withUnlink(boolean newUnlink) {
        return new ProducerSettings(ringName, geometry, fps, frames, policy, waitReaders, source, pattern,
                patternOptions, overlay, checksum, newUnlink);
    }
}
