package dev.caviar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per class of bad input that used to pass silently or fail unclearly (issue 10): each
 * must fail before Spark starts, in one line naming file, line, key, rule and value.
 */
class ConfigDefectsTest {

  private static String message(String... overrides) {
    return assertThrows(
            StudyConfigException.class,
            () -> StudyConfig.parse(StudyConfigTest.BASE, "x.conf", List.of(overrides)))
        .getMessage();
  }

  private static String messageOf(String hocon) {
    return assertThrows(
            StudyConfigException.class, () -> StudyConfig.parse(hocon, "x.conf", List.of()))
        .getMessage();
  }

  @Test
  void earlyStoppingSettingsNameTheKeyTheRuleAndTheValue() {
    assertEquals(
        "override study.stopping.at: 1: study.stopping.at[1]: must be greater than the one before"
            + " (0.5), got 0.2",
        message("study.stopping.at = [0.5, 0.2]"));
    assertEquals(
        "override study.stopping.at: 1: study.stopping.at[0]: must be a share of the epochs in (0,"
            + " 1), got 'half'",
        message("study.stopping.at = [half]"));
    assertEquals(
        "override study.stopping.rule: 1: study.stopping.rule: must be none or halving, got"
            + " 'median'",
        message("study.stopping.rule = median"));
    assertEquals(
        "override study.stopping.keep: 1: study.stopping.keep: must be in (0, 1), got 1.0",
        message("study.stopping.keep = 1"));
    assertEquals(
        "override study.stopping.kept: 1: study.stopping.kept: unknown key, did you mean 'keep'?"
            + " (got 0.5)",
        message("study.stopping.kept = 0.5"));
    // The whole section given as a word: the section is named, with what it must be.
    String word = message("study.stopping = halving");
    assertTrue(word.contains("study.stopping: must be an object { ... }, got"), word);
  }

  @Test
  void finalEpochsWithoutContinueIsAnErrorNotASilentNoOp() {
    String m = message("final.epochs = 10");
    assertTrue(
        m.endsWith(
            "final.epochs: applies only with final.train = continue, got 10 with final.train ="
                + " retrain"),
        m);
    String negative = message("final.train = continue", "final.epochs = -1");
    assertTrue(
        negative.endsWith(
            "final.epochs: must be >= 0 (0 = a sixth of the last round's epochs), got -1"),
        negative);
  }

  @Test
  void retrainedNetworksWithRetrainOrBelowZeroAreErrors() {
    String m = message("final.retrained = 2");
    assertTrue(
        m.endsWith(
            "final.retrained: applies only with final.train = lastRound or continue (with"
                + " retrain, final.models counts the retrained networks), got 2"),
        m);
    // One edit short of the key and as near the key it is a value of: both are named.
    assertEquals(
        "override final.retrain: 1: final.retrain: unknown key, did you mean 'train' or"
            + " 'retrained'? (got 2)",
        message("final.retrain = 2"));
    String negative = message("final.train = continue", "final.retrained = -1");
    assertTrue(negative.endsWith("final.retrained: must be >= 0 (0 = none), got -1"), negative);
  }

  @Test
  void aRoundsConfirmationNamesItsKeyTheRuleAndTheValue() {
    String rounds =
        "study.rounds = [{ trials = 8, epochs = 1, confirm = %s }, { trials = 4, epochs = 2 }]";
    assertEquals(
        "override study.rounds: 1: study.rounds[0].confirm.top: must be <= the round's trials (8),"
            + " got 9",
        message(String.format(rounds, "{ top = 9, replicates = 2 }")));
    assertEquals(
        "override study.rounds: 1: study.rounds[0].confirm.replicates: must be >= 2 (the"
            + " replicates a confirmed trial ends with), got 1",
        message(String.format(rounds, "{ top = 2, replicates = 1 }")));
    assertEquals(
        "override study.rounds: 1: study.rounds[0].confirm.replicas: unknown key, did you mean"
            + " 'replicates'? (got 2)",
        message(String.format(rounds, "{ top = 2, replicas = 2 }")));
    assertEquals(
        "override study.rounds: 1: study.rounds[0].confirm: must be {top = N, replicates = R}, got"
            + " 3",
        message(String.format(rounds, "3")));
    assertEquals(
        "override study.rounds: 1: study.rounds[0].confirm.replicates: is required, got nothing",
        message(String.format(rounds, "{ top = 2 }")));
    // Every trial already has execution.replicas: confirming to as many adds nothing.
    String m =
        message(
            String.format(rounds, "{ top = 2, replicates = 2 }"),
            "execution.replicas = 2",
            "execution.shards = 4");
    assertTrue(
        m.endsWith(
            "study.rounds[0].confirm.replicates: must be > execution.replicas (2), the replicates"
                + " every trial already has, got 2"),
        m);
  }

  @Test
  void aDataPathWithSyntheticDataIsAnError() {
    assertEquals(
        "override data.path: 1: data.path: is not read when data.source = synthetic; set"
            + " data.source to idx, csv, libsvm or parquet, or remove it, got 'train.csv'",
        message("data.path = train.csv"));
  }

  @Test
  void numbersThatOverflowToInfinityAreErrors() {
    assertEquals(
        "override study.elite: 1: study.elite: must be a finite number, got Infinity",
        message("study.elite = 1e400"));
    assertEquals(
        "override space.dropout.high: 1: space.dropout.high: must be a finite number, got"
            + " Infinity",
        message("space.dropout.high = 1e400"));
  }

  @Test
  void aParameterTheChosenOptimizerIgnoresIsAnError() {
    assertEquals(
        "x.conf: 13: space.beta1: used only when optimizer is one of [adam], but model.optimizer"
            + " is sgd; remove space.beta1 or set optimizer",
        message(
            "space.optimizer = null",
            "space.momentum = null",
            "space.beta1.when = null",
            "model.optimizer = sgd"));
  }

  @Test
  void aDecayThatNeedsARateFailsBeforeAnyTrial() {
    assertEquals(
        "override model.decay: 1: model.decay: decay = exponential needs decayRate, which must be in (0, 1] for"
            + " exponential, got the default 0.0; set model.decayRate or space.decayRate",
        message("model.decay = exponential"));
    assertEquals(
        "override model.decayRate: 1: model.decayRate: must be in (0, 1] for exponential, got 3.0"
            + " (with decay = exponential)",
        message("model.decay = exponential", "model.decayRate = 3"));
    assertEquals(
        "override space.decayRate: 1: space.decayRate.limits.high: must be in (0, 1] for step, got"
            + " 2.0 (with decay = step)",
        message(
            "model.decay = step",
            "space.decayRate { scale = log, low = 0.1, high = 0.5, limits = [0.01, 2] }"));
  }

  @Test
  void aBatchOfOneWithBatchNormFailsBeforeAnyTrial() {
    String fixed = message("space.batchSize = null", "model.batchSize = 1");
    assertTrue(fixed.contains("model.batchSize: must be >= 2 with batchNorm"), fixed);
    assertTrue(fixed.endsWith("got 1"), fixed);
    String searched =
        message("space.batchSize { scale = pow2, low = 1, high = 64 }", "model.batchNorm = true");
    assertTrue(searched.contains("space.batchSize.low: must be >= 2 with batchNorm"), searched);
    // Without batch norm a batch of one is a legal (if slow) choice.
    StudyConfig.parse(
        StudyConfigTest.BASE,
        "x.conf",
        List.of("space.batchSize = null", "model.batchSize = 1", "model.batchNorm = false"));
  }

  @Test
  void anUnclosedBraceNamesTheLineThatOpenedIt() {
    assertEquals(
        "x.conf: 1: '{' is never closed (the file ends first)",
        messageOf("study { name = t\n  data {\n source = synthetic\n}\n"));
  }

  @Test
  void aFileThatIsNotUtf8SaysSo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.conf");
    Files.write(f, "study.name = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    String m =
        assertThrows(StudyConfigException.class, () -> StudyConfig.load(f, List.of())).getMessage();
    assertEquals(f + ": 1: not UTF-8 text (byte 0xE9 at offset 16); save the file as UTF-8", m);
  }

  @Test
  void anOverrideWithoutAKeyIsQuoted() {
    assertEquals("override '=5': must be key=value with a key, got '=5'", message("=5"));
  }

  @Test
  void anEmptyFileBlamesTheFileNotAnOverride() {
    assertEquals(
        "x.conf: study: section is required, got nothing",
        assertThrows(
                StudyConfigException.class,
                () -> StudyConfig.parse("", "x.conf", List.of("output.dir = out")))
            .getMessage());
  }

  @Test
  void aLookAlikeKeyIsANearMissOfTheRealOne() {
    assertEquals(
        "override space.l\u0435arningRate: 1: space.l\u0435arningRate: unknown hyperparameter"
            + " 'l\u0435arningRate' (it holds '\u0435', U+0435, not ASCII), did you mean"
            + " 'learningRate'?",
        message("space.l\u0435arningRate { scale = log, low = 1e-4, high = 1e-2 }"));
  }
}
