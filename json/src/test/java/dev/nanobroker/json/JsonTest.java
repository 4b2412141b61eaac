package dev.nanobroker.json;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void writesNestedValuesEscapedAndNonFiniteNumbersAsNull() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "a\"b\\c\nd\u0001");
        value.put("n", 42L);
        value.put("x", 1.5);
        value.put("nan", Double.NaN);
        value.put("ok", true);
        value.put("none", null);
        value.put("list", List.of(1, "two", Map.of("k", 3)));
        assertEquals("{\"name\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":42,\"x\":1.5,\"nan\":null,\"ok\":true,\"none\":null,"
                + "\"list\":[1,\"two\",{\"k\":3}]}", Json.write(value));
    }

    @Test
    void parsesWhatItWritesForFlatObjects() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("fps", 59.9);
        value.put("count", 10L);
        value.put("label", "ring 64 B");
        assertEquals(Map.of("fps", "59.9", "count", "10", "label", "ring 64 B"), Json.parseFlat(Json.write(value)));
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThrows(IllegalArgumentException.class, () -> Json.parseFlat("[1,2]"));
    }

    @Test
    void picksOneFieldOutOfNestedOutput() {
        String json = Json.write(Map.of("name", "cam0", "latency", Map.of("p50", 1200L)));
        assertEquals(1200, Json.number(json, "p50"));
        assertEquals("cam0", Json.string(json, "name"));
        assertThrows(IllegalArgumentException.class, () -> Json.number(json, "missing"));
    }
}
