package dev.nanobroker.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A child JVM's arguments on its command line: a record whose components are written as
 * {@code key=value}, the key being the component's name in snake case ({@code warmupMs} is
 * {@code warmup_ms}). The case table's records are written with {@link #format}; the child reads its
 * record back once with {@link #parse}. Components are {@code int}, {@code long}, {@code boolean},
 * {@code String} or an enum (written in lower case).
 */
final class RoleArguments {

    private RoleArguments() {
    }

    /** The components of the record {@code arguments} as {@code key=value} words, in the record's order. */
    static List<String> format(Object arguments) {
        List<String> words = new ArrayList<>();
        for (RecordComponent component : components(arguments.getClass())) {
            Object value;
            try {
                value = component.getAccessor().invoke(arguments);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
            words.add(key(component) + "=" + (value instanceof Enum<?> constant ? constant.name().toLowerCase(Locale.ROOT) : value));
        }
        return words;
    }

    /** {@code key=value} words as a map from key to value. */
    static Map<String, String> split(List<String> words) {
        Map<String, String> map = new HashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not key=value: " + word);
            }
            map.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return map;
    }

    /** The record of type {@code type} from {@code key=value} words: every component must be there, nothing else. */
    static <R> R parse(Class<R> type, Map<String, String> words) {
        RecordComponent[] components = components(type);
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = key(components[i]);
            String text = words.get(key);
            if (text == null) {
                throw new IllegalArgumentException("missing argument " + key);
            }
            values[i] = value(components[i].getType(), text);
        }
        if (words.size() != components.length) {
            Map<String, String> unknown = new HashMap<>(words);
            Arrays.stream(components).map(RoleArguments::key).forEach(unknown::remove);
            throw new IllegalArgumentException("unknown arguments " + unknown.keySet());
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName() + " of " + words, e);
        }
    }

    private static RecordComponent[] components(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return type.getRecordComponents();
    }

    private static Object value(Class<?> type, String text) {
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        if (type == long.class) {
            return Long.parseLong(text);
        }
        if (type == boolean.class && (text.equals("true") || text.equals("false"))) {
            return Boolean.parseBoolean(text);
        }
        if (type == String.class) {
            return text;
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + text);
    }

    private static String key(RecordComponent component) {
        return component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }
}
