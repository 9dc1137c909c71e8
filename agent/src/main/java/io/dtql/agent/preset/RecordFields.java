package io.dtql.agent.preset;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and rewrites the fields of a configuration record by their kebab-case names ({@code
 * learning-rate} for {@code learningRate}), so presets, {@code --set key=value} and the saved
 * {@code config.json} all use one vocabulary that follows the record automatically when a field is
 * added. Fields may be String, int, long, double or boolean.
 *
 * @param <R> the configuration record (DtqlConfig, SacConfig)
 */
public final class RecordFields<R extends Record> {
  private final Class<R> type;
  private final RecordComponent[] components;
  private final List<String> names;

  private RecordFields(Class<R> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    this.names = Arrays.stream(components).map(c -> kebab(c.getName())).toList();
  }

  public static <R extends Record> RecordFields<R> of(Class<R> type) {
    return new RecordFields<>(type);
  }

  /** Every field name in declaration order, kebab-case. */
  public List<String> names() {
    return names;
  }

  /**
   * Field name to value, in declaration order; values print so that parsing returns them exactly.
   */
  public Map<String, Object> values(R config) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      values.put(names.get(i), read(components[i], config));
    }
    return values;
  }

  /**
   * A copy of {@code base} with the named fields replaced. Unknown names and unparsable values are
   * refused with a message naming them; the result is validated by the record itself.
   */
  public R withOverrides(R base, Map<String, String> overrides) {
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = read(components[i], base);
    }
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      int index = names.indexOf(entry.getKey());
      if (index < 0) {
        throw new IllegalArgumentException(
            "unknown config field '"
                + entry.getKey()
                + "'; valid fields: "
                + String.join(", ", names));
      }
      args[index] = parse(entry.getKey(), components[index].getType(), entry.getValue());
    }
    return construct(args);
  }

  private Object read(RecordComponent component, R config) {
    try {
      return component.getAccessor().invoke(config);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "cannot read " + type.getSimpleName() + "." + component.getName(), e);
    }
  }

  private Object parse(String field, Class<?> type, String raw) {
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
        type.getSimpleName() + " field '" + field + "' has unsupported type " + type);
  }

  private static String describe(Class<?> type) {
    if (type == boolean.class) {
      return "boolean (true or false)";
    }
    return type == double.class ? "number" : type.getSimpleName();
  }

  private R construct(Object[] args) {
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new IllegalStateException(type.getSimpleName() + " constructor failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor", e);
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
