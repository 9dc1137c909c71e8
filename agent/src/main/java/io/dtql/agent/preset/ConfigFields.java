package io.dtql.agent.preset;

import io.dtql.agent.dtql.DtqlConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and rewrites {@link DtqlConfig} fields by their kebab-case names ({@code learning-rate} for
 * {@code learningRate}), so presets, {@code --set key=value} and the saved {@code config.json} all
 * use one vocabulary that follows the record automatically when a field is added.
 */
public final class ConfigFields {
  private static final RecordComponent[] COMPONENTS = DtqlConfig.class.getRecordComponents();
  private static final List<String> NAMES =
      Arrays.stream(COMPONENTS).map(c -> kebab(c.getName())).toList();

  private ConfigFields() {}

  /** Every field name in declaration order, kebab-case. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Field name to value, in declaration order; values print so that parsing returns them exactly.
   */
  public static Map<String, Object> values(DtqlConfig config) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < COMPONENTS.length; i++) {
      values.put(NAMES.get(i), read(COMPONENTS[i], config));
    }
    return values;
  }

  /**
   * A copy of {@code base} with the named fields replaced. Unknown names and unparsable values are
   * refused with a message naming them; the result is validated by DtqlConfig itself.
   */
  public static DtqlConfig withOverrides(DtqlConfig base, Map<String, String> overrides) {
    Object[] args = new Object[COMPONENTS.length];
    for (int i = 0; i < COMPONENTS.length; i++) {
      args[i] = read(COMPONENTS[i], base);
    }
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      int index = NAMES.indexOf(entry.getKey());
      if (index < 0) {
        throw new IllegalArgumentException(
            "unknown config field '"
                + entry.getKey()
                + "'; valid fields: "
                + String.join(", ", NAMES));
      }
      args[index] = parse(entry.getKey(), COMPONENTS[index].getType(), entry.getValue());
    }
    return construct(args);
  }

  private static Object read(RecordComponent component, DtqlConfig config) {
    try {
      return component.getAccessor().invoke(config);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read DtqlConfig." + component.getName(), e);
    }
  }

  private static Object parse(String field, Class<?> type, String raw) {
    String text = raw == null ? "" : raw.trim();
    try {
      if (type == String.class) {
        return text;
      } else if (type == int.class) {
        return Integer.parseInt(text);
      } else if (type == long.class) {
        return Long.parseLong(text);
      } else if (type == double.class) {
        return Double.parseDouble(text);
      } else if (type == boolean.class) {
        // Boolean.parseBoolean would read any typo as false; accept only the two words.
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
          return Boolean.parseBoolean(lower);
        }
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad value for config field '"
              + field
              + "': '"
              + raw
              + "' is not a valid "
              + describe(type));
    }
    throw new IllegalStateException(
        "DtqlConfig field '" + field + "' has unsupported type " + type);
  }

  private static String describe(Class<?> type) {
    if (type == boolean.class) {
      return "boolean (true or false)";
    }
    return type == double.class ? "number" : type.getSimpleName();
  }

  private static DtqlConfig construct(Object[] args) {
    Class<?>[] types =
        Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class[]::new);
    try {
      Constructor<DtqlConfig> constructor = DtqlConfig.class.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new IllegalStateException("DtqlConfig constructor failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("DtqlConfig has no canonical constructor", e);
    }
  }

  static String kebab(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
