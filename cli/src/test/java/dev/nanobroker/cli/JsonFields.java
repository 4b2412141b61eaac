package dev.nanobroker.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads numbers and strings out of the flat JSON the commands print, for assertions. */
final class JsonFields {

    private JsonFields() {
    }

    static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9]+)").matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("no number " + key + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }

    static String string(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("no string " + key + " in " + json);
        }
        return matcher.group(1);
    }
}
