package io.dtql.agent.preset;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.dtql.agent.dtql.DtqlConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link DtqlConfig} as a flat JSON object keyed by kebab-case field names: the form saved in
 * {@code config.json} and inside checkpoints. Numbers are written with Java's shortest exact
 * representation, so reading gives back an equal record.
 */
public final class ConfigJson {
  private ConfigJson() {}

  public static JsonObject toJson(DtqlConfig config) {
    JsonObject json = new JsonObject();
    ConfigFields.values(config).forEach((name, value) -> json.add(name, primitive(value)));
    return json;
  }

  /** Reads a complete config; a missing or unknown field is refused with its name. */
  public static DtqlConfig fromJson(JsonObject json) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
      if (!entry.getValue().isJsonPrimitive()) {
        throw new IllegalArgumentException(
            "config field '" + entry.getKey() + "' must be a number, boolean or string");
      }
      values.put(entry.getKey(), entry.getValue().getAsString());
    }
    for (String name : ConfigFields.names()) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("config lacks the field '" + name + "'");
      }
    }
    return ConfigFields.withOverrides(DtqlConfig.locomotionDefaults(), values);
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
