package dev.nanobroker.ring;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.nanobroker.ring.RingLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Pins {@code docs/ring-layout.md} to {@link RingLayout}: every table row whose first cell names a
 * RingLayout constant must give that constant's decimal value in its second cell, every offset and
 * length constant must be documented exactly once, and the layout keeps its alignment promises.
 */
class RingLayoutSpecTest {

    private static final String DOC = "docs/ring-layout.md";
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9A-Fa-f]+");
    /** A table cell separator: a '|' not escaped as "\|". */
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    /** Fields that hold a long, as offsets (absolute, or relative to a reader or descriptor base). */
    private static final List<String> LONG_FIELDS = List.of(
            "MAGIC_OFFSET", "SLOT_STRIDE_OFFSET", "PIXELS_OFFSET_OFFSET", "FILE_LENGTH_OFFSET",
            "CREATED_MILLIS_OFFSET", "PRODUCER_TOKEN_OFFSET", "EPOCH_OFFSET", "PRODUCER_DROPS_OFFSET",
            "BLOCKED_NANOS_OFFSET", "READER_ATTACHES_OFFSET", "HEAD_OFFSET", "LOCK_OWNER_OFFSET", "READER_TAIL_OFFSET",
            "READER_OWNER_OFFSET", "READER_FRAMES_OFFSET", "READER_LOST_OFFSET", "READER_TORN_OFFSET",
            "READER_LATENCY_OFFSET", "READER_SKIPPED_OFFSET", "DESCRIPTOR_SEQUENCE_OFFSET", "DESCRIPTOR_PUBLISH_NANOS_OFFSET",
            "DESCRIPTOR_CHECKSUM_OFFSET", "DESCRIPTOR_SOURCE_SEQUENCE_OFFSET");
    /** Fields that hold an int. */
    private static final List<String> INT_FIELDS = List.of(
            "VERSION_OFFSET", "PIXEL_FORMAT_OFFSET", "SLOT_COUNT_OFFSET", "WIDTH_OFFSET", "HEIGHT_OFFSET",
            "ROW_STRIDE_OFFSET", "STATE_OFFSET", "SLEEPERS_OFFSET", "READER_MODE_OFFSET", "DESCRIPTOR_WIDTH_OFFSET",
            "DESCRIPTOR_HEIGHT_OFFSET", "DESCRIPTOR_ROW_STRIDE_OFFSET");

    /** One markdown table row of the document whose first cell is a constant name. */
    record Row(int lineNumber, String name, List<String> cells) {
        String cell(int index) {
            return index < cells.size() ? cells.get(index) : "";
        }
    }

    private static Map<String, Long> constants;
    private static List<Row> layoutRows;
    private static List<Row> geometryRows;

    @BeforeAll
    static void readDocumentAndConstants() throws IOException, IllegalAccessException {
        constants = publicConstants(RingLayout.class);
        layoutRows = new ArrayList<>();
        geometryRows = new ArrayList<>();
        List<String> lines = Files.readAllLines(findDocument(), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            String[] parts = CELL_SEPARATOR.split(line, -1);
            // parts[0] is the empty text before the leading '|'; the last part follows the trailing '|'.
            for (int part = 1; part < parts.length; part++) {
                if (part == parts.length - 1 && parts[part].isBlank()) {
                    break;
                }
                cells.add(unquote(parts[part]));
            }
            if (cells.isEmpty()) {
                continue;
            }
            String name = cells.getFirst();
            if (constants.containsKey(name)) {
                layoutRows.add(new Row(i + 1, name, cells));
            } else if (name.startsWith("RingGeometry.")) {
                geometryRows.add(new Row(i + 1, name.substring("RingGeometry.".length()), cells));
            }
        }
    }

    /** Walks up from the working directory (the module directory under surefire) to the document. */
    static Path findDocument() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DOC);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("no " + DOC + " in " + start + " or any directory above it");
    }

    private static String unquote(String cell) {
        String text = cell.strip();
        if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
            text = text.substring(1, text.length() - 1);
        }
        return text;
    }

    /** The public static final int and long fields of a class, widened to long. */
    private static Map<String, Long> publicConstants(Class<?> type) throws IllegalAccessException {
        Map<String, Long> result = new TreeMap<>();
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
                if (field.getType() == int.class) {
                    result.put(field.getName(), (long) field.getInt(null));
                } else if (field.getType() == long.class) {
                    result.put(field.getName(), field.getLong(null));
                }
            }
        }
        return result;
    }

    private static boolean isOffsetOrLength(String name) {
        return name.endsWith("_OFFSET") || name.endsWith("_LENGTH");
    }

    private static long documentedValue(Row row) {
        String value = row.cell(1);
        if (!DECIMAL.matcher(value).matches()) {
            fail(DOC + ":" + row.lineNumber() + ": " + row.name() + " must have its decimal value in the second"
                    + " cell, found '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static long constant(String name) {
        Long value = constants.get(name);
        if (value == null) {
            fail("RingLayout has no public int or long constant " + name);
        }
        return value;
    }

    // ------------------------------------------------------------------ document vs code

    @Test
    void theReflectionSeesTheLayout() {
        assertTrue(constants.keySet().stream().filter(RingLayoutSpecTest::isOffsetOrLength).count() >= 40,
                "expected RingLayout's offset and length constants, got " + constants.keySet());
        assertTrue(constants.keySet().containsAll(LONG_FIELDS), "LONG_FIELDS names a missing constant");
        assertTrue(constants.keySet().containsAll(INT_FIELDS), "INT_FIELDS names a missing constant");
    }

    @Test
    void everyOffsetAndLengthIsDocumentedExactlyOnce() {
        Map<String, Integer> occurrences = new LinkedHashMap<>();
        for (Row row : layoutRows) {
            occurrences.merge(row.name(), 1, Integer::sum);
        }
        List<String> problems = new ArrayList<>();
        for (String name : constants.keySet()) {
            if (!isOffsetOrLength(name)) {
                continue;
            }
            int count = occurrences.getOrDefault(name, 0);
            if (count == 0) {
                problems.add(name + " is missing");
            } else if (count > 1) {
                problems.add(name + " is in " + count + " rows");
            }
        }
        assertEquals(List.of(), problems, "each RingLayout offset and length must have exactly one row in the tables of " + DOC);
    }

    @Test
    void everyOtherConstantIsDocumentedToo() {
        List<String> documented = layoutRows.stream().map(Row::name).toList();
        List<String> missing = constants.keySet().stream().filter(name -> !documented.contains(name)).toList();
        assertEquals(List.of(), missing, "RingLayout constants missing from the tables of " + DOC);
    }

    @Test
    void everyDocumentedValueMatchesTheCode() {
        List<String> wrong = new ArrayList<>();
        for (Row row : layoutRows) {
            long documented = documentedValue(row);
            long actual = constant(row.name());
            if (documented != actual) {
                wrong.add(DOC + ":" + row.lineNumber() + ": " + row.name() + " is " + actual + ", documented " + documented);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void documentedHexValuesMatchTheCode() {
        for (Row row : layoutRows) {
            String hex = row.cell(2);
            if (!HEX.matcher(hex).matches()) {
                continue; // the third cell of an offset row is a size, not a hex value
            }
            long actual = constant(row.name());
            long expected = row.cell(3).equals("int") ? Integer.toUnsignedLong((int) actual) : actual;
            assertEquals(expected, Long.parseUnsignedLong(hex.substring(2), 16),
                    DOC + ":" + row.lineNumber() + ": hex value of " + row.name());
        }
    }

    @Test
    void documentedFieldTypesMatchTheCodeAndAreAligned() {
        for (Row row : layoutRows) {
            String type = row.cell(3);
            String where = DOC + ":" + row.lineNumber() + ": " + row.name();
            if (LONG_FIELDS.contains(row.name())) {
                assertEquals("long", type, where + " holds a long");
                assertEquals("8", row.cell(2), where + " is 8 bytes");
            } else if (INT_FIELDS.contains(row.name())) {
                assertEquals("int", type, where + " holds an int");
                assertEquals("4", row.cell(2), where + " is 4 bytes");
            } else if (isOffsetOrLength(row.name())) {
                assertTrue(!type.equals("long") && !type.equals("int"),
                        where + " is documented as a field but the test does not know it as one: add it to"
                                + " LONG_FIELDS or INT_FIELDS");
            }
        }
    }

    @Test
    void geometryLimitsMatchTheCode() throws IllegalAccessException {
        Map<String, Long> limits = publicConstants(RingGeometry.class);
        assertTrue(geometryRows.size() >= 2, "expected RingGeometry limits in " + DOC);
        for (Row row : geometryRows) {
            assertTrue(limits.containsKey(row.name()), DOC + ":" + row.lineNumber() + ": no RingGeometry." + row.name());
            assertEquals(limits.get(row.name()), documentedValue(row), DOC + ":" + row.lineNumber() + ": RingGeometry." + row.name());
        }
    }

    // ------------------------------------------------------------------ invariants of the layout itself

    @Test
    void hotFieldsStartTheirOwnCacheLines() {
        assertLineAligned("HEAD_OFFSET", HEAD_OFFSET);
        assertLineAligned("LOCK_OWNER_OFFSET", LOCK_OWNER_OFFSET);
        assertLineAligned("WRITERS_LINE_OFFSET", WRITERS_LINE_OFFSET);
        assertLineAligned("DESCRIPTORS_OFFSET", DESCRIPTORS_OFFSET);
        assertLineAligned("READERS_OFFSET", READERS_OFFSET);
        assertLineAligned("PRODUCER_LINE_OFFSET", PRODUCER_LINE_OFFSET);
        for (int reader = 0; reader < MAX_READERS; reader++) {
            long base = readerOffset(reader);
            assertLineAligned("reader " + reader + " tail", base + READER_TAIL_OFFSET);
            assertLineAligned("reader " + reader + " owner", base + READER_OWNER_OFFSET);
            assertLineAligned("reader " + reader + " counters", base + READER_FRAMES_OFFSET);
        }
        for (int slot = 0; slot < RingGeometry.MAX_SLOTS; slot++) {
            assertLineAligned("descriptor " + slot, descriptorOffset(slot) + DESCRIPTOR_SEQUENCE_OFFSET);
        }
    }

    @Test
    void hotFieldsDoNotShareCacheLines() {
        List<Long> lines = new ArrayList<>(List.of(
                line(PRODUCER_TOKEN_OFFSET), line(HEAD_OFFSET), line(LOCK_OWNER_OFFSET), line(WRITERS_LINE_OFFSET)));
        for (int writer = 0; writer < MAX_WRITERS; writer++) {
            assertEquals(line(WRITERS_LINE_OFFSET), line(writerTokenOffset(writer)),
                    "writer entry " + writer + " is on the writers line");
        }
        for (int reader = 0; reader < MAX_READERS; reader++) {
            long base = readerOffset(reader);
            long tail = line(base + READER_TAIL_OFFSET);
            long owner = line(base + READER_OWNER_OFFSET);
            long counters = line(base + READER_FRAMES_OFFSET);
            assertNotEquals(tail, owner, "reader " + reader + ": tail and owner share a cache line");
            assertNotEquals(tail, counters, "reader " + reader + ": tail and counters share a cache line");
            assertNotEquals(owner, counters, "reader " + reader + ": owner and counters share a cache line");
            assertEquals(owner, line(base + READER_MODE_OFFSET), "reader " + reader + ": mode sits with the owner");
            assertEquals(counters, line(base + READER_LATENCY_OFFSET), "reader " + reader + ": counters are one line");
            lines.addAll(List.of(tail, owner, counters));
        }
        lines.add(line(DESCRIPTORS_OFFSET));
        assertEquals(lines.size(), lines.stream().distinct().count(), "two hot fields share a cache line: " + lines);
    }

    @Test
    void fieldsAreNaturallyAligned() {
        for (String name : LONG_FIELDS) {
            assertEquals(0, constant(name) % 8, name + " holds a long and must be 8-aligned");
        }
        for (String name : INT_FIELDS) {
            assertEquals(0, constant(name) % 4, name + " holds an int and must be 4-aligned");
        }
        for (int writer = 0; writer < MAX_WRITERS; writer++) {
            assertEquals(0, writerTokenOffset(writer) % 8, "writer entry " + writer + " holds a long and must be 8-aligned");
        }
        // Relative offsets are added to bases that are themselves line-aligned.
        assertEquals(0, READER_LENGTH % CACHE_LINE_LENGTH);
        assertEquals(0, DESCRIPTOR_LENGTH % CACHE_LINE_LENGTH);
    }

    @Test
    void fieldsStayInsideTheirLinesWithoutOverlapping() {
        assertFieldsFit("static line", STATIC_LINE_OFFSET, STATIC_LINE_LENGTH, MAGIC_OFFSET, 8, VERSION_OFFSET, 4,
                PIXEL_FORMAT_OFFSET, 4, SLOT_COUNT_OFFSET, 4, WIDTH_OFFSET, 4, HEIGHT_OFFSET, 4, ROW_STRIDE_OFFSET, 4,
                SLOT_STRIDE_OFFSET, 8, PIXELS_OFFSET_OFFSET, 8, FILE_LENGTH_OFFSET, 8, CREATED_MILLIS_OFFSET, 8);
        assertFieldsFit("producer line", PRODUCER_LINE_OFFSET, PRODUCER_LINE_LENGTH, PRODUCER_TOKEN_OFFSET, 8,
                EPOCH_OFFSET, 8, STATE_OFFSET, 4, PRODUCER_DROPS_OFFSET, 8, BLOCKED_NANOS_OFFSET, 8,
                READER_ATTACHES_OFFSET, 8);
        assertFieldsFit("head line", HEAD_OFFSET, HEAD_LINE_LENGTH, HEAD_OFFSET, 8);
        assertFieldsFit("lock line", LOCK_OWNER_OFFSET, LOCK_LINE_LENGTH, LOCK_OWNER_OFFSET, 8);
        long[] writerEntries = new long[2 * MAX_WRITERS];
        for (int writer = 0; writer < MAX_WRITERS; writer++) {
            writerEntries[2 * writer] = writerTokenOffset(writer);
            writerEntries[2 * writer + 1] = Long.BYTES;
        }
        assertFieldsFit("writers line", WRITERS_LINE_OFFSET, WRITERS_LINE_LENGTH, writerEntries);
        assertFieldsFit("reader", 0, READER_LENGTH, READER_TAIL_OFFSET, 8, READER_OWNER_OFFSET, 8,
                READER_MODE_OFFSET, 4, READER_FRAMES_OFFSET, 8, READER_LOST_OFFSET, 8, READER_TORN_OFFSET, 8,
                READER_LATENCY_OFFSET, 8, READER_SKIPPED_OFFSET, 8);
        assertFieldsFit("descriptor", 0, DESCRIPTOR_LENGTH, DESCRIPTOR_SEQUENCE_OFFSET, 8,
                DESCRIPTOR_PUBLISH_NANOS_OFFSET, 8, DESCRIPTOR_WIDTH_OFFSET, 4, DESCRIPTOR_HEIGHT_OFFSET, 4,
                DESCRIPTOR_ROW_STRIDE_OFFSET, 4, DESCRIPTOR_CHECKSUM_OFFSET, 8, DESCRIPTOR_SOURCE_SEQUENCE_OFFSET, 8);
    }

    @Test
    void regionsFollowOneAnother() {
        assertEquals(0, STATIC_LINE_OFFSET);
        assertEquals(STATIC_LINE_OFFSET + STATIC_LINE_LENGTH, PRODUCER_LINE_OFFSET);
        assertEquals(PRODUCER_LINE_OFFSET + PRODUCER_LINE_LENGTH, HEAD_OFFSET);
        assertEquals(HEAD_OFFSET + HEAD_LINE_LENGTH, LOCK_OWNER_OFFSET);
        assertEquals(LOCK_OWNER_OFFSET + LOCK_LINE_LENGTH, WRITERS_LINE_OFFSET);
        assertEquals(WRITERS_LINE_OFFSET + WRITERS_LINE_LENGTH, READERS_OFFSET);
        assertEquals(readerOffset(MAX_READERS - 1) + READER_LENGTH, DESCRIPTORS_OFFSET);
        assertEquals(192, READER_LENGTH);
        for (int reader = 0; reader < MAX_READERS; reader++) {
            assertEquals(320L + reader * 192L, readerOffset(reader));
        }
        // 320 + 16 * 192 = 3392
        assertEquals(3392, DESCRIPTORS_OFFSET);
        assertEquals(3392L, descriptorOffset(0));
        // 3392 + 4095 * 64 = 265_472
        assertEquals(265_472L, descriptorOffset(4095));
    }

    @Test
    void writersAreTheirOwnLineBetweenTheLockAndReaderZero() {
        assertEquals(192, LOCK_OWNER_OFFSET);
        assertEquals(256, WRITERS_LINE_OFFSET);
        assertEquals(WRITERS_LINE_OFFSET, WRITER_TOKENS_OFFSET);
        assertEquals(CACHE_LINE_LENGTH, WRITERS_LINE_LENGTH);
        assertEquals(64, WRITERS_LINE_LENGTH);
        assertEquals(320, READERS_OFFSET);
        assertEquals(READERS_OFFSET, readerOffset(0));
        // Exactly one line: the lock line ends where it starts, reader 0 starts where it ends.
        assertEquals(LOCK_OWNER_OFFSET + LOCK_LINE_LENGTH, WRITERS_LINE_OFFSET);
        assertEquals(WRITERS_LINE_OFFSET + WRITERS_LINE_LENGTH, readerOffset(0));
        assertEquals(line(LOCK_OWNER_OFFSET) + 1, line(WRITERS_LINE_OFFSET));
        assertEquals(line(WRITERS_LINE_OFFSET) + 1, line(readerOffset(0)));
        // Eight long tokens fill it, with no padding.
        assertEquals(8, MAX_WRITERS);
        assertEquals(WRITERS_LINE_LENGTH, MAX_WRITERS * Long.BYTES);
        for (int writer = 0; writer < MAX_WRITERS; writer++) {
            assertEquals(256L + writer * 8L, writerTokenOffset(writer));
        }
        assertEquals(WRITERS_LINE_OFFSET + WRITERS_LINE_LENGTH, writerTokenOffset(MAX_WRITERS));
    }

    /** The formulas written out in the prose carry the same numbers as the tables. */
    @Test
    void formulasInTheProseUseTheCurrentOffsets() throws IOException {
        String doc = Files.readString(findDocument(), StandardCharsets.UTF_8);
        for (String formula : List.of(
                "writerTokenOffset(i) = WRITER_TOKENS_OFFSET + i * 8 = " + WRITER_TOKENS_OFFSET + " + i * 8",
                "readerBase(i) = READERS_OFFSET + i * READER_LENGTH = " + READERS_OFFSET + " + i * " + READER_LENGTH,
                "descriptorBase(s) = DESCRIPTORS_OFFSET + s * DESCRIPTOR_LENGTH = " + DESCRIPTORS_OFFSET
                        + " + s * " + DESCRIPTOR_LENGTH,
                "roundUpToPage(" + DESCRIPTORS_OFFSET + " + slotCount * " + DESCRIPTOR_LENGTH + ")")) {
            assertTrue(doc.contains(formula), DOC + " should contain \"" + formula + "\"");
        }
    }

    @Test
    void constantsHaveTheirDocumentedMeaning() {
        byte[] magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(MAGIC).array();
        assertEquals("NANORING", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(Long.MAX_VALUE, TAIL_FREE);
        assertEquals(Long.MIN_VALUE, RECLAIM_BIT);
        assertEquals(Long.MIN_VALUE, SEQUENCE_WRITING_BIT);
        assertEquals(-1L, SEQUENCE_EMPTY);
        assertEquals(64, CACHE_LINE_LENGTH);
        assertEquals(4096, PAGE_LENGTH);
        assertEquals(16, MAX_READERS);
        assertEquals(8, MAX_WRITERS);
    }

    // ------------------------------------------------------------------ lengths, computed by hand

    @Test
    void lengthsOfAFullHdRingOfFourSlots() {
        // 3392 + 4 * 64 = 3648 header bytes, one page.
        assertEquals(4096L, headerLength(4));
        // 1920 * 4 = 7680 bytes a row; 7680 * 1080 = 8_294_400 = 2025 pages exactly.
        assertEquals(8_294_400L, slotStride(7680, 1080));
        // 4096 + 4 * 8_294_400
        assertEquals(33_181_696L, fileLength(4, 7680, 1080));

        RingGeometry geometry = RingGeometry.of(1920, 1080, 4);
        assertEquals(7680, geometry.rowStride());
        assertEquals(4096L, geometry.headerLength());
        assertEquals(8_294_400L, geometry.slotStride());
        assertEquals(33_181_696L, geometry.fileLength());
    }

    @Test
    void lengthsRoundUpToPages() {
        // 3392 + 60 * 64 = 7232 -> 2 pages; 1366 * 4 * 768 = 4_196_352 = 1024.5 pages -> 1025 pages.
        assertEquals(8192L, headerLength(60));
        assertEquals(4_198_400L, slotStride(1366 * 4, 768));
        assertEquals(8192L + 60L * 4_198_400L, fileLength(60, 1366 * 4, 768));
        assertEquals(251_912_192L, fileLength(60, 1366 * 4, 768));
        assertEquals(4096L, headerLength(11)); // 3392 + 704 = 4096 exactly: no extra page
        assertEquals(8192L, headerLength(12)); // 3392 + 768 = 4160: 64 bytes past a page take a whole one
        assertEquals(8192L, headerLength(75)); // 3392 + 4800 = 8192 exactly
        assertEquals(12_288L, headerLength(76)); // 3392 + 4864 = 8256 -> 3 pages
        assertEquals(4096L, slotStride(4, 1));
    }

    @Test
    void lengthsOfTheLargestRingDoNotOverflow() {
        // 131072 * 16384 = 2^31 bytes a slot: one more than Integer.MAX_VALUE.
        assertEquals(2_147_483_648L, slotStride(131_072, 16_384));
        // 3392 + 4096 * 64 = 265_536 -> 65 pages = 266_240; plus 4096 * 2^31 = 2^43.
        assertEquals(266_240L, headerLength(4096));
        assertEquals(266_240L + 8_796_093_022_208L, fileLength(4096, 131_072, 16_384));
    }

    private static long line(long offset) {
        return offset / CACHE_LINE_LENGTH;
    }

    private static void assertLineAligned(String what, long offset) {
        assertEquals(0, offset % CACHE_LINE_LENGTH, what + " at " + offset + " does not start a cache line");
    }

    /** Checks (offset, size) pairs lie in [start, start + length) and do not overlap. */
    private static void assertFieldsFit(String region, long start, long length, long... offsetsAndSizes) {
        boolean[] used = new boolean[(int) length];
        for (int i = 0; i < offsetsAndSizes.length; i += 2) {
            long offset = offsetsAndSizes[i] - start;
            long size = offsetsAndSizes[i + 1];
            assertTrue(offset >= 0 && offset + size <= length,
                    region + ": field at " + offsetsAndSizes[i] + " leaves the region");
            for (long b = offset; b < offset + size; b++) {
                assertTrue(!used[(int) b], region + ": fields overlap at byte " + (start + b));
                used[(int) b] = true;
            }
        }
    }
}
