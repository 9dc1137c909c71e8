package io.dtql.agent.preset;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The presets shipped as JSON resources under {@code presets/}: one file per dataset, listed in
 * {@code presets/index.txt} (class-path resources cannot be listed portably, so the index is the
 * catalogue; a test checks it matches the files).
 */
public final class PresetRegistry {
  private static final String DIRECTORY = "presets/";

  private final List<String> names;

  private PresetRegistry(List<String> names) {
    this.names = List.copyOf(names);
  }

  /** The registry of the presets bundled with this module. */
  public static PresetRegistry bundled() {
    String index = readResource(DIRECTORY + "index.txt");
    List<String> names =
        index
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    return new PresetRegistry(names);
  }

  /** Preset names in catalogue order. */
  public List<String> names() {
    return names;
  }

  /** Loads a preset; an unknown name is refused with the list of valid ones. */
  public Preset load(String name) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException(
          "unknown preset '" + name + "'; valid presets: " + String.join(", ", names));
    }
    String resource = DIRECTORY + name + ".json";
    try {
      return parse(name, JsonParser.parseString(readResource(resource)).getAsJsonObject());
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new IllegalStateException("preset resource " + resource + " is malformed: " + e, e);
    }
  }

  /**
   * The validated configuration of a preset with overrides (kebab-case field names) applied;
   * unknown presets, unknown fields and bad values are refused with messages naming them.
   */
  public DtqlConfig config(String name, Map<String, String> overrides) {
    return load(name).config(overrides);
  }

  private static Preset parse(String name, JsonObject json) {
    Map<String, String> overrides = new LinkedHashMap<>();
    JsonObject config = json.has("config") ? json.getAsJsonObject("config") : new JsonObject();
    for (Map.Entry<String, JsonElement> entry : config.entrySet()) {
      overrides.put(entry.getKey(), entry.getValue().getAsString());
    }
    ProblemShape shape =
        new ProblemShape(
            required(json, name, "obs_dim").getAsInt(),
            required(json, name, "act_dim").getAsInt(),
            required(json, name, "max_action").getAsFloat());
    return new Preset(
        name,
        required(json, name, "task").getAsString(),
        required(json, name, "d4rl_dataset").getAsString(),
        shape,
        required(json, name, "max_episode_steps").getAsInt(),
        overrides);
  }

  private static JsonElement required(JsonObject json, String preset, String key) {
    JsonElement value = json.get(key);
    if (value == null || value.isJsonNull()) {
      throw new IllegalStateException("preset " + preset + " lacks the key '" + key + "'");
    }
    return value;
  }

  private static String readResource(String resource) {
    InputStream stream = PresetRegistry.class.getClassLoader().getResourceAsStream(resource);
    if (stream == null) {
      throw new IllegalStateException("missing class-path resource " + resource);
    }
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read class-path resource " + resource, e);
    }
  }
}
