package io.dtql.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum flag value in any letter case ({@code cpu}, {@code CPU}), so the command behaves
 * the same whether or not the parent command it is mounted under enables picocli's case-insensitive
 * enums.
 */
abstract class LowerCaseEnumConverter<E extends Enum<E>> implements ITypeConverter<E> {
  private final Class<E> type;

  LowerCaseEnumConverter(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    throw new TypeConversionException(
        "'"
            + value
            + "' is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }

  /** The {@code --device} values. */
  static final class Devices extends LowerCaseEnumConverter<DeviceChoice> {
    Devices() {
      super(DeviceChoice.class);
    }
  }

  /** The {@code --metrics-format} values. */
  static final class MetricsFormats extends LowerCaseEnumConverter<MetricsFormat> {
    MetricsFormats() {
      super(MetricsFormat.class);
    }
  }

  /** The {@code --progress} values. */
  static final class ProgressStyles extends LowerCaseEnumConverter<ProgressStyle> {
    ProgressStyles() {
      super(ProgressStyle.class);
    }
  }
}
