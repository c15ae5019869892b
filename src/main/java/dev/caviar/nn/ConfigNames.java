package dev.caviar.nn;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the configuration spelling of an enum constant, naming the allowed values on failure. */
final class ConfigNames {
  private ConfigNames() {}

  interface Named {
    String configName();
  }

  static <E extends Enum<E> & Named> E parse(Class<E> type, String key, String text) {
    E[] values = type.getEnumConstants();
    for (E value : values) {
      if (value.configName().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "%s: unknown value '%s', allowed: %s",
            key,
            text,
            Arrays.stream(values).map(Named::configName).collect(Collectors.joining(", "))));
  }
}
