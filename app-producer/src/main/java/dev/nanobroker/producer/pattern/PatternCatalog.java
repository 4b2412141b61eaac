package dev.nanobroker.producer.pattern;

import dev.nanobroker.frame.LatencyClock;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every test pattern by name: what {@code --pattern NAME} and {@code --list-patterns} use. */
public final class PatternCatalog {

    /** One pattern: its command-line name, a one-line description, and how to make it. */
    public record Entry(String name, String description, Function<PatternOptions, TestPattern> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("sequence", "one flat colour per frame, derived from the frame number (what 'read --verify' checks)",
                options -> new SequenceColourPattern());
        add("smpte", "SMPTE colour bars, SD layout of EG 1-1990: 75% bars, castellations, -I/white/+Q and PLUGE",
                options -> new SmpteBarsPattern());
        add("smpte-hd", "SMPTE HD colour bars, RP 219 layout: 75% bars in 40% grey panels, 100% rows, ramp, PLUGE",
                options -> new SmpteHdBarsPattern());
        add("ramp", "horizontal ramps in bands: smooth grey, 11 grey steps, red, green, blue",
                options -> new RampPattern());
        add("checkers", "black and white checkerboard, squares of --cell-size pixels",
                options -> new CheckerboardPattern(options.cellSize()));
        add("solid", "the whole frame one colour, --colour (0xAARRGGBB, premultiplied when translucent)",
                options -> new SolidPattern(options.colour()));
        add("noise", "grey snow, new every frame (xorshift seeded by the frame number)",
                options -> new NoisePattern());
        add("ball", "a ball bouncing over a faint grid, --speed pixels per frame from the frame number",
                options -> new BouncingBallPattern(options.speed()));
        add("zoneplate", "circular zone plate, cos(k r^2) up to Nyquist at the sides, rings moving each frame",
                options -> new ZonePlatePattern());
        add("rgb", "RGB order check: red, green and blue columns labelled R, G and B",
                options -> new RgbOrderPattern());
        add("clock", "latency clock: frame number and time in large digits, a 60-step bar, machine-readable boxes",
                options -> new LatencyClock()::render);
    }

    private PatternCatalog() {
    }

    private static void add(String name, String description, Function<PatternOptions, TestPattern> factory) {
        ENTRIES.put(name, new Entry(name, description, factory));
    }

    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** A new pattern instance; unknown names are refused with the list of known ones. */
    public static TestPattern create(String name, PatternOptions options) {
        Entry entry = ENTRIES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown pattern '" + name + "': use one of " + String.join(", ", names()));
        }
        return entry.factory().apply(options);
    }
}
