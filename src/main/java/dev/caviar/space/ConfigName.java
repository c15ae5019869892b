package dev.caviar.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An enum constant's spelling in a config file ({@code leakyRelu}, {@code inverseTime}), and the
 * one way every such name is parsed: engine enums ({@code nn}), the study's metric and sampler, the
 * data source and the layout all fail with the same {@code key: must be one of a, b, got 'x'}. It
 * lives in {@code space}, the lowest layer, because choice values are these names.
 */
public interface ConfigName {
  /**
   * The spelling in a config file: the constant's name in lower camel case ({@code LEAKY_RELU} ->
   * {@code leakyRelu}), one rule for every enum a config names.
   */
  default String configName() {
    String[] words = ((Enum<?>) this).name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder out = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return out.toString();
  }

  /** The constant of {@code type} spelled {@code text}, or an error naming {@code key}. */
  static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String key, String text) {
    for (E value : type.getEnumConstants()) {
      if (value.configName().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        key + ": must be one of " + String.join(", ", names(type)) + ", got '" + text + "'");
  }

  /** Every spelling of {@code type}, in declaration order. */
  static <E extends Enum<E> & ConfigName> List<String> names(Class<E> type) {
    List<String> out = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      out.add(value.configName());
    }
    return out;
  }
}
