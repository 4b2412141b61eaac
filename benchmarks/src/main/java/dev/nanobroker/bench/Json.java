package dev.nanobroker.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough JSON for this module: flat objects of strings and numbers (the children's result
 * lines), and nested maps, lists and numbers on output.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case Iterable<?> list -> {
                out.append('[');
                boolean first = true;
                for (Object each : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, each);
                }
                out.append(']');
            }
            case Double d -> out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.4g", d).replaceAll("\\.?0+(e|$)", "$1") : "null");
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
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

    /** Parses a flat object whose values are strings without escapes or plain numbers. */
    static Map<String, String> parseFlat(String text) {
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
}
