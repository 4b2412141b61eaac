package dev.nanobroker.ring;

/**
 * Every byte offset of a NanoBroker ring file, and nothing else. Writer, reader, tools and tests take
 * their numbers from here; {@code docs/ring-layout.md} is the same table in prose and a test pins the
 * two together. All multi-byte fields are little-endian and naturally aligned.
 *
 * <pre>
 *  file offset                                                          cache line
 *  0      +--------------------------------------------------------+
 *         | STATIC: magic, version, pixel format, slot count,        |  0  written once, before
 *         | width, height, row stride, slot stride, pixels offset,    |     the file gets its name
 *         | file length, created (epoch ms)                           |
 *  64     +--------------------------------------------------------+
 *         | PRODUCER: identity token, epoch, state, producer drops,   |  1
 *         | blocked nanos, reader attaches                            |
 *  128    +--------------------------------------------------------+
 *         | HEAD: sequence of the next frame to publish; SLEEPERS:    |  2  hot: writer, all readers
 *         | a bit per reader sleeping on HEAD (futex)                  |
 *  192    +--------------------------------------------------------+
 *         | WRITE LOCK: owner identity token (0 = free)               |  3  hot: writers
 *  256    +--------------------------------------------------------+
 *         | WRITERS: identity tokens of the attached writers (8)      |  4  on attach and close only
 *  320    +--------------------------------------------------------+
 *         | READER 0:  tail line        (tail)                        |  5  hot: reader 0, writer
 *         |            identity line    (owner token, mode)           |  6  read by the writer
 *         |            counters line    (frames, lost, torn, latency, |  7  written by reader 0
 *         |                              skipped)                     |
 *         | READER 1 .. READER 15: the same three lines each          |
 *  3392   +--------------------------------------------------------+
 *         | SLOT DESCRIPTORS: one line per slot: sequence, publish    |
 *         | nanos, width, height, row stride, checksum, source seq.   |
 *         +--------------------------------------------------------+ padded to a page
 *  pixels | SLOT 0 pixels (BGRA premultiplied), padded to a page     |
 *         | SLOT 1 pixels ...                                         |
 *         | SLOT slotCount-1 pixels                                   |
 *         +--------------------------------------------------------+ file length
 * </pre>
 *
 * An identity token is {@code pid << 32 | (process start time & 0xFFFFFFFF)} (see
 * {@link ProcessIdentity}): one CAS-able word that names a process and does not match a later
 * process that reuses the pid.
 */
public final class RingLayout {

    private RingLayout() {
    }

    /** Bytes of one cache line; every line below starts on a multiple of it. */
    public static final int CACHE_LINE_LENGTH = 64;
    /** Pixel regions start on page boundaries so they can be mapped and touched page by page. */
    public static final int PAGE_LENGTH = 4096;

    /** ASCII "NANORING" read as a little-endian long. */
    public static final long MAGIC = 0x474E49524F4E414EL;
    public static final int LAYOUT_VERSION = 4;
    /** Pixel format code for 32-bit BGRA with premultiplied alpha (JavaFX's BYTE_BGRA_PRE). */
    public static final int PIXEL_FORMAT_BGRA_PRE = 1;
    public static final int BYTES_PER_PIXEL = 4;
    public static final int MAX_READERS = 16;

    // ---- line 0: static geometry, written once before the ring is published under its name
    public static final int STATIC_LINE_OFFSET = 0;
    public static final int MAGIC_OFFSET = STATIC_LINE_OFFSET;              // long
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;              // int
    public static final int PIXEL_FORMAT_OFFSET = VERSION_OFFSET + 4;       // int
    public static final int SLOT_COUNT_OFFSET = PIXEL_FORMAT_OFFSET + 4;    // int
    public static final int WIDTH_OFFSET = SLOT_COUNT_OFFSET + 4;           // int
    public static final int HEIGHT_OFFSET = WIDTH_OFFSET + 4;               // int
    public static final int ROW_STRIDE_OFFSET = HEIGHT_OFFSET + 4;          // int, bytes
    public static final int SLOT_STRIDE_OFFSET = ROW_STRIDE_OFFSET + 4;     // long, bytes
    public static final int PIXELS_OFFSET_OFFSET = SLOT_STRIDE_OFFSET + 8;  // long, bytes
    public static final int FILE_LENGTH_OFFSET = PIXELS_OFFSET_OFFSET + 8;  // long, bytes
    public static final int CREATED_MILLIS_OFFSET = FILE_LENGTH_OFFSET + 8; // long, epoch ms
    public static final int STATIC_LINE_LENGTH = CACHE_LINE_LENGTH;

    // ---- line 1: the producer
    public static final int PRODUCER_LINE_OFFSET = STATIC_LINE_OFFSET + STATIC_LINE_LENGTH;
    public static final int PRODUCER_TOKEN_OFFSET = PRODUCER_LINE_OFFSET;      // long identity token
    public static final int EPOCH_OFFSET = PRODUCER_TOKEN_OFFSET + 8;          // long, +1 per writer attach or re-open
    public static final int STATE_OFFSET = EPOCH_OFFSET + 8;                   // int, STATE_*
    public static final int PRODUCER_DROPS_OFFSET = STATE_OFFSET + 8;          // long (after 4 pad bytes)
    public static final int BLOCKED_NANOS_OFFSET = PRODUCER_DROPS_OFFSET + 8;  // long
    /**
     * Long, +1 by every reader attach: a writer that remembers the oldest tail between claims
     * rescans the reader lines when this moved (a new reader may hold an older tail).
     */
    public static final int READER_ATTACHES_OFFSET = BLOCKED_NANOS_OFFSET + 8;
    public static final int PRODUCER_LINE_LENGTH = CACHE_LINE_LENGTH;

    public static final int STATE_OPEN = 1;
    public static final int STATE_CLOSED = 2;

    // ---- line 2: the head
    /** Long; its low 32 bits are the futex word readers sleep on (docs/ring-layout.md §9, "Sleeping"). */
    public static final int HEAD_OFFSET = PRODUCER_LINE_OFFSET + PRODUCER_LINE_LENGTH;
    /** Int: bit {@code 1 << line} set while that reader sleeps on the head; beside it, so a publishing writer reads it for free. */
    public static final int SLEEPERS_OFFSET = HEAD_OFFSET + 8;
    public static final int HEAD_LINE_LENGTH = CACHE_LINE_LENGTH;

    // ---- line 3: the write lock
    public static final int LOCK_OWNER_OFFSET = HEAD_OFFSET + HEAD_LINE_LENGTH; // long identity token
    public static final int LOCK_LINE_LENGTH = CACHE_LINE_LENGTH;

    // ---- line 4: the writers attached now; a ring is closed when its last live writer detaches
    public static final int WRITERS_LINE_OFFSET = LOCK_OWNER_OFFSET + LOCK_LINE_LENGTH;
    public static final int MAX_WRITERS = 8;
    /** {@link #MAX_WRITERS} identity tokens (long); 0 = free. */
    public static final int WRITER_TOKENS_OFFSET = WRITERS_LINE_OFFSET;
    public static final int WRITERS_LINE_LENGTH = CACHE_LINE_LENGTH;

    // ---- lines 5..52: sixteen reader lines of three cache lines each
    public static final int READERS_OFFSET = WRITERS_LINE_OFFSET + WRITERS_LINE_LENGTH;
    /** Within a reader: the tail, alone on its line. */
    public static final int READER_TAIL_OFFSET = 0;                                       // long
    /** Within a reader: owner token; 0 = free, RECLAIM_BIT set = being freed by that process. */
    public static final int READER_OWNER_OFFSET = READER_TAIL_OFFSET + CACHE_LINE_LENGTH; // long
    public static final int READER_MODE_OFFSET = READER_OWNER_OFFSET + 8;                 // int, MODE_*
    public static final int READER_FRAMES_OFFSET = READER_OWNER_OFFSET + CACHE_LINE_LENGTH; // long
    /** Frames this reader wanted and did not get intact: lapped by an overwriting writer, or torn. */
    public static final int READER_LOST_OFFSET = READER_FRAMES_OFFSET + 8;                // long
    public static final int READER_TORN_OFFSET = READER_LOST_OFFSET + 8;                  // long, a subset of lost
    public static final int READER_LATENCY_OFFSET = READER_TORN_OFFSET + 8;               // long, ns
    /** Frames passed over by design: a {@code latest} reader or a display taking only the newest. */
    public static final int READER_SKIPPED_OFFSET = READER_LATENCY_OFFSET + 8;            // long
    public static final int READER_LENGTH = 3 * CACHE_LINE_LENGTH;

    /** Tail of a free reader line: larger than any sequence, so it never gates the writer. */
    public static final long TAIL_FREE = Long.MAX_VALUE;
    /** Set in a reader's owner word while a process frees the line of a dead reader. */
    public static final long RECLAIM_BIT = 1L << 63;
    public static final int MODE_EVERY = 1;
    public static final int MODE_LATEST = 2;

    // ---- slot descriptors, one cache line each
    public static final int DESCRIPTORS_OFFSET = READERS_OFFSET + MAX_READERS * READER_LENGTH;
    public static final int DESCRIPTOR_SEQUENCE_OFFSET = 0;                                 // long
    public static final int DESCRIPTOR_PUBLISH_NANOS_OFFSET = DESCRIPTOR_SEQUENCE_OFFSET + 8; // long
    public static final int DESCRIPTOR_WIDTH_OFFSET = DESCRIPTOR_PUBLISH_NANOS_OFFSET + 8;  // int
    public static final int DESCRIPTOR_HEIGHT_OFFSET = DESCRIPTOR_WIDTH_OFFSET + 4;         // int
    public static final int DESCRIPTOR_ROW_STRIDE_OFFSET = DESCRIPTOR_HEIGHT_OFFSET + 4;    // int
    public static final int DESCRIPTOR_CHECKSUM_OFFSET = DESCRIPTOR_ROW_STRIDE_OFFSET + 8;  // long (after 4 pad bytes)
    /** 1 + the frame's sequence in the ring it was first published in (a bridge's copy); 0 for a frame first published here. */
    public static final int DESCRIPTOR_SOURCE_SEQUENCE_OFFSET = DESCRIPTOR_CHECKSUM_OFFSET + 8; // long
    public static final int DESCRIPTOR_LENGTH = CACHE_LINE_LENGTH;

    /** Sequence of a slot that never held a frame. */
    public static final long SEQUENCE_EMPTY = -1L;
    /** Set in a slot's sequence while the writer fills it: no reader may take the slot as good. */
    public static final long SEQUENCE_WRITING_BIT = 1L << 63;

    public static long writerTokenOffset(int writer) {
        return WRITER_TOKENS_OFFSET + (long) writer * Long.BYTES;
    }

    public static long readerOffset(int reader) {
        return READERS_OFFSET + (long) reader * READER_LENGTH;
    }

    public static long descriptorOffset(int slot) {
        return DESCRIPTORS_OFFSET + (long) slot * DESCRIPTOR_LENGTH;
    }

    /** Header bytes (everything before the pixels) for a ring of {@code slotCount} slots. */
    public static long headerLength(int slotCount) {
        return roundUpToPage(DESCRIPTORS_OFFSET + (long) slotCount * DESCRIPTOR_LENGTH);
    }

    /** Bytes from one slot's pixels to the next: the frame, padded to a page. */
    public static long slotStride(int rowStride, int height) {
        return roundUpToPage((long) rowStride * height);
    }

    public static long fileLength(int slotCount, int rowStride, int height) {
        return headerLength(slotCount) + slotCount * slotStride(rowStride, height);
    }

    public static long roundUpToPage(long length) {
        return (length + PAGE_LENGTH - 1) & -PAGE_LENGTH;
    }
}
