package dev.nanobroker.json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON the bench prints (maps, lists, strings, numbers, booleans, null) and the flat objects
 * its child processes report in. Not a general parser: {@link #parseFlat} reads a flat object
 * whole, {@link #number} and {@link #string} pick one field out of any of them. The commands' JSON
 * goes through Jackson instead (cli {@code JsonReports}); this module goes once the bench does too.
 */
public final class Json {

    private Json() {
    }

    /** {@code value} as JSON: maps (keys as strings), iterables, numbers, booleans, null, else a string. NaN and infinities are null. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append('{');
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator);
                    separator = ",";
                    writeString(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                String separator = "";
                for (Object item : items) {
                    out.append(separator);
                    separator = ",";
                    write(out, item);
                }
                out.append(']');
            }
            case Double number when number.isNaN() || number.isInfinite() -> out.append("null");
            case Float number when number.isNaN() || number.isInfinite() -> out.append("null");
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            default -> writeString(out, value.toString());
        }
    }

    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Parses a flat object whose values are strings without escapes, or plain numbers, booleans and null. */
    public static Map<String, String> parseFlat(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        String body = text.trim();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        int i = 1;
        int end = body.length() - 1;
        while (i < end) {
            char c = body.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int keyEnd = body.indexOf('"', i + 1);
            String key = body.substring(i + 1, keyEnd);
            i = body.indexOf(':', keyEnd) + 1;
            while (Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            String value;
            if (body.charAt(i) == '"') {
                int valueEnd = body.indexOf('"', i + 1);
                value = body.substring(i + 1, valueEnd);
                i = valueEnd + 1;
            } else {
                int valueEnd = i;
                while (valueEnd < end && body.charAt(valueEnd) != ',') {
                    valueEnd++;
                }
                value = body.substring(i, valueEnd).trim();
                i = valueEnd;
            }
            result.put(key, value);
        }
        return result;
    }

    /** The first integer field {@code key} anywhere in {@code json} (a nested one too). */
    public static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9]+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no number " + key + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The first string field {@code key} anywhere in {@code json}; strings with escapes are not read. */
    public static String string(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no string " + key + " in " + json);
        }
        return matcher.group(1);
    }
}
