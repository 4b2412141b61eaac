package dev.nanobroker.cli;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the commands' reports ({@code --json}), through Jackson. A report is a record: its
 * components become the keys in their declared order, named in snake_case ({@code blockedMs} is
 * {@code "blocked_ms"}), on one line. A null component is written as null unless the component says
 * {@code @JsonInclude(NON_NULL)}, which leaves the key out.
 */
final class JsonReports {

    /** Made when this class is first used: a command that neither prints nor reads JSON never starts Jackson. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private JsonReports() {
    }

    /** {@code report} as one line of JSON. */
    static String write(Record report) {
        return MAPPER.writeValueAsString(report);
    }

    /** The report {@code json} holds, as {@link #write} wrote it. */
    static <T extends Record> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
