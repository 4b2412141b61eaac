package dev.nanobroker.ring;

import java.lang.invoke.VarHandle;

/**
 * A reader line read by a display: once per refresh (JavaFX: once per pulse) {@link #poll()} gives
 * the newest frame if it is newer than the one shown, and there is nothing to release. It wraps a
 * {@link RingReader} the way Agrona's {@code CopyBroadcastReceiver} wraps its receiver: a second way
 * of consuming a line, whose protocol (docs/ring-layout.md §9, "Display reader") is this class. Made
 * by {@link SharedRing#attachDisplayReader()}, it owns its reader, which nobody else can reach: the
 * two protocols cannot be mixed on one line.
 *
 * <p>Why the tail trails the screen: a renderer may still be reading the frame shown at the previous
 * refresh (JavaFX reads a {@code PixelBuffer} on its render thread after the pulse, and the next
 * pulse's timers run before it waits for that render), so the tail stays on that frame for one more
 * refresh. Under {@code block} neither the frame on screen nor the one before it can be rewritten,
 * and the writer gets ahead by the rest of the ring (at least 3 slots are needed). Frames passed over
 * count as skipped; a previous frame found rewritten (possible only under {@code overwrite}) counts
 * as torn and lost. Allocates nothing. One thread at a time.
 */
public final class DisplayReader implements AutoCloseable {

    private final RingReader reader;
    /** The sequence of the frame on screen, or -1. */
    private long shown = -1;

    /** Reads a freshly attached reader's line for display; nothing else may use {@code reader}. */
    DisplayReader(RingReader reader) {
        this.reader = reader;
    }

    /**
     * The frame to show now: the newest, if it is newer than the one shown; null to keep showing the
     * last one (nothing newer, or the newest is being rewritten right now under {@code overwrite}).
     */
    public Frame poll() {
        reader.requireOpen();
        long onScreenLastRefresh = shown;
        long newest = reader.head() - 1;
        long tail = reader.tail();
        if (newest <= shown || newest < tail) {
            if (shown >= 0 && tail < shown) {
                reader.moveTail(shown); // nothing new: the renderer is done with what came before the frame on screen
            }
            return null;
        }
        SlotDescriptor slot = reader.slotOf(newest);
        if (slot.sequenceAcquire() != newest) {
            return null; // already being rewritten (overwrite policy): try again next time
        }
        if (shown >= 0) {
            // Seqlock check of the frame the renderer read since the last refresh: its loads happen before this one.
            VarHandle.acquireFence();
            if (reader.slotOf(shown).sequenceAcquire() != shown) {
                reader.countTorn();
            }
        }
        long passedOver = newest - Math.max(shown + 1, tail);
        if (passedOver > 0) {
            reader.countSkipped(passedOver);
        }
        Frame frame = reader.take(newest, slot);
        reader.moveTail(onScreenLastRefresh >= 0 ? onScreenLastRefresh : newest); // the renderer may still read it
        shown = newest;
        return frame;
    }

    public int line() {
        return reader.line();
    }

    /** The oldest frame this display still protects (the one shown at the previous refresh). */
    public long tail() {
        return reader.tail();
    }

    /** Frames shown. */
    public long frames() {
        return reader.frames();
    }

    /** Frames passed over by design (the display is slower than the source); never a loss. */
    public long skipped() {
        return reader.skipped();
    }

    /** Frames found rewritten by the next refresh (only under {@code overwrite}). */
    public long lost() {
        return reader.lost();
    }

    public long torn() {
        return reader.torn();
    }

    /** Frees the reader line. */
    @Override
    public void close() {
        reader.close();
    }
}
