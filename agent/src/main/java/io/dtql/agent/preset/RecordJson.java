package io.dtql.agent.preset;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration record as a flat JSON object keyed by kebab-case field names: the form saved in
 * {@code config.json} and inside checkpoints. Numbers are written with Java's shortest exact
 * representation, so reading gives back an equal record.
 */
public final class RecordJson {
  private RecordJson() {}

  public static <R extends Record> JsonObject toJson(RecordFields<R> fields, R config) {
    JsonObject json = new JsonObject();
    fields.values(config).forEach((name, value) -> json.add(name, primitive(value)));
    return json;
  }

  /**
   * Reads a complete record; a missing or unknown field is refused with its name.
   *
   * @param base any valid record: every field is replaced, it only supplies the types
   */
  public static <R extends Record> R fromJson(RecordFields<R> fields, R base, JsonObject json) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
      if (!entry.getValue().isJsonPrimitive()) {
        throw new IllegalArgumentException(
            "config field '" + entry.getKey() + "' must be a number, boolean or string");
      }
      values.put(entry.getKey(), entry.getValue().getAsString());
    }
    for (String name : fields.names()) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("config lacks the field '" + name + "'");
      }
    }
    return fields.withOverrides(base, values);
  }

  private static JsonPrimitive primitive(Object value) {
    if (value instanceof Number number) {
      return new JsonPrimitive(number);
    } else if (value instanceof Boolean bool) {
      return new JsonPrimitive(bool);
    }
    return new JsonPrimitive(String.valueOf(value));
  }
}
