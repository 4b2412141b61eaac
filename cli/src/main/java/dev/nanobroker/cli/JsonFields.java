package dev.nanobroker.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads numbers and strings out of the flat JSON the commands print (soak reads its children's reports with it). */
final class JsonFields {

    private JsonFields() {
    }

    static long number(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9]+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no number " + key + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }

    static String string(String json, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no string " + key + " in " + json);
        }
        return matcher.group(1);
    }
}
