package io.dtql.agent.preset;

import com.google.gson.JsonObject;
import io.dtql.agent.dtql.DtqlConfig;

/** A {@link DtqlConfig} as JSON (see {@link RecordJson}). */
public final class ConfigJson {
  private static final RecordFields<DtqlConfig> FIELDS = RecordFields.of(DtqlConfig.class);

  private ConfigJson() {}

  public static JsonObject toJson(DtqlConfig config) {
    return RecordJson.toJson(FIELDS, config);
  }

  /** Reads a complete config; a missing or unknown field is refused with its name. */
  public static DtqlConfig fromJson(JsonObject json) {
    return RecordJson.fromJson(FIELDS, DtqlConfig.locomotionDefaults(), json);
  }
}
