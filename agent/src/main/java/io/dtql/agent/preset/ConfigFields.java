package io.dtql.agent.preset;

import io.dtql.agent.dtql.DtqlConfig;
import java.util.List;
import java.util.Map;

/** {@link RecordFields} of {@link DtqlConfig}: the DTQL vocabulary of presets and --set. */
public final class ConfigFields {
  private static final RecordFields<DtqlConfig> FIELDS = RecordFields.of(DtqlConfig.class);

  private ConfigFields() {}

  /** Every field name in declaration order, kebab-case. */
  public static List<String> names() {
    return FIELDS.names();
  }

  /** Field name to value, in declaration order. */
  public static Map<String, Object> values(DtqlConfig config) {
    return FIELDS.values(config);
  }

  /** A copy of {@code base} with the named fields replaced (see {@link RecordFields}). */
  public static DtqlConfig withOverrides(DtqlConfig base, Map<String, String> overrides) {
    return FIELDS.withOverrides(base, overrides);
  }
}
