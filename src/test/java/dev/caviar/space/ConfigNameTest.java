package dev.caviar.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigNameTest {
  enum Example implements ConfigName {
    PLAIN,
    TWO_WORDS,
    RMSPROP
  }

  @Test
  void namesAreLowerCamelCaseOfTheConstants() {
    assertEquals(List.of("plain", "twoWords", "rmsprop"), ConfigName.names(Example.class));
    assertEquals(Example.TWO_WORDS, ConfigName.parse(Example.class, "k", "twoWords"));
  }

  @Test
  void anUnknownNameListsTheLegalOnesAndNamesTheKey() {
    assertEquals(
        "x.kind: must be one of plain, twoWords, rmsprop, got 'two_words'",
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigName.parse(Example.class, "x.kind", "two_words"))
            .getMessage());
  }
}
