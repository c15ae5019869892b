package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The {@code -Dkey=value} form of an override, as the README shows it, without Spark. */
class CaviarDefinesTest {

  @Test
  void dashDOverridesBecomePlainOverridesInPlaceSoLaterOnesStillWin() {
    assertArrayEquals(
        new String[] {"tune", "execution.shards=64", "study.seed=2", "execution.shards=8"},
        Caviar.defines(
            new String[] {
              "tune", "-Dexecution.shards=64", "study.seed=2", "-Dexecution.shards=8"
            }));
  }

  @Test
  void quotedValuesListsAndIndexedKeysKeepTheirText() {
    assertArrayEquals(
        new String[] {"data.path=\"a b.csv\"", "study.rounds=[{trials=8,epochs=1}]"},
        Caviar.defines(
            new String[] {"-Ddata.path=\"a b.csv\"", "-Dstudy.rounds=[{trials=8,epochs=1}]"}));
  }

  @Test
  void optionsThatAreNotOverridesAndArgumentsAfterDoubleDashAreLeftAlone() {
    String[] args = {"-D", "-Dnovalue", "--out", "x", "--", "-Dexecution.shards=2"};
    assertArrayEquals(args, Caviar.defines(args));
  }
}
