package dev.caviar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.study.Carried;
import dev.caviar.study.Objective;
import dev.caviar.study.Stopping;
import dev.caviar.study.Study;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StudyConfigTest {

  static final String BASE =
      """
      study {
        name = t
        seed = 3
        rounds = [{ trials = 8, epochs = 1 }, { trials = 4, epochs = 2 }]
      }
      data { source = synthetic }
      model { activation = relu }
      space {
        learningRate { scale = log, low = 1e-4, high = 1e-2 }
        units { scale = intLog, low = 16, high = 256 }
        batchSize { scale = pow2, low = 32, high = 256 }
        optimizer { scale = choice, values = [momentum, adam] }
        beta1 { scale = oneMinusLog, low = 0.8, high = 0.99, when { optimizer = [adam] } }
        momentum { scale = oneMinusLog, low = 0.8, high = 0.99, when { optimizer = momentum } }
        dropout { scale = linear, low = 0, high = 0.3 }
      }
      """;

  private static StudySpec parse(String... overrides) {
    return StudyConfig.parse(BASE, "test.conf", List.of(overrides));
  }

  @Test
  void theBaseConfigParsesWithDefaults() {
    StudySpec s = parse();
    assertEquals(3, s.study().seed());
    assertEquals(0.1, s.study().elite());
    assertEquals(Objective.ACCURACY, s.study().metric());
    assertEquals(8000, s.data().synthetic().rows());
    assertEquals("output/t", s.output().dir());
    assertEquals(new Domain.Log(1e-4, 1e-2), s.space().get("learningRate").domain());
    assertEquals(new Domain.Linear(0, 0.3), s.space().get("dropout").domain());
    assertEquals("adam", s.space().get("beta1").condition().values().get(0));
    assertEquals("relu", s.model().get("activation"));
  }

  @Test
  void overridesReplaceAnyKeyAndLaterOnesWin() {
    StudySpec s =
        parse(
            "study.seed=11",
            "-Dexecution.shards=4",
            "study.seed = 12",
            "space.learningRate.high = 0.1",
            "study.rounds = [{trials = 2, epochs = 1}]");
    assertEquals(12, s.study().seed());
    assertEquals(4, s.execution().shards());
    assertEquals(new Domain.Log(1e-4, 0.1), s.space().get("learningRate").domain());
    assertEquals(1, s.study().rounds().size());
  }

  record Case(List<String> overrides, String key, String value) {}

  static Case c(String key, String value, String... overrides) {
    return new Case(List.of(overrides), key, value);
  }

  static final List<Case> MALFORMED =
      List.of(
          c("study.seed", "'abc'", "study.seed = abc"),
          c("study.rounds", "[]", "study.rounds = []"),
          c("study.rounds", "3", "study.rounds = 3"),
          c("study.rounds[0].trials", "0", "study.rounds = [{trials = 0, epochs = 1}]"),
          c("study.rounds[0].epochs", "0", "study.rounds = [{trials = 4, epochs = 0}]"),
          c(
              "study.rounds[1].epochs",
              "1",
              "study.rounds = [{trials = 4, epochs = 3}, {trials = 4, epochs = 1}]"),
          c("study.rounds[0].epoch", "'epochs'", "study.rounds = [{trials = 4, epoch = 3}]"),
          c("study.carry", "9", "study.carry = 9"),
          c("study.elite", "0", "study.elite = 0"),
          c("study.elite", "1.5", "study.elite = 1.5"),
          c("study.metric", "'accuracyy'", "study.metric = accuracyy"),
          c("study.sampler", "'halton'", "study.sampler = halton"),
          c("study.sede", "'seed'", "study.sede = 3"),
          c("studdy", "'study'", "studdy.seed = 3"),
          c("space.learningRate.low", "-0.001", "space.learningRate.low = -0.001"),
          c("space.learningRate.high", "0.01", "space.learningRate.low = 0.1"),
          c("space.beta1.high", "1.0", "space.beta1.high = 1.0"),
          c("space.beta1.low", "-0.5", "space.beta1.low = -0.5"),
          c("space.batchSize.high", "300", "space.batchSize.high = 300"),
          c("space.units.low", "0", "space.units.low = 0"),
          c("space.units.low", "16.5", "space.units.low = 16.5"),
          c("space.optimizer.values", "[]", "space.optimizer.values = []"),
          c(
              "space.activation.values",
              "'rel'",
              "model.activation = null",
              "space.activation { scale = choice, values = [relu, rel] }"),
          c(
              "space.momentum.when",
              "'optimiser'",
              "space.momentum.when = null",
              "space.momentum.when.optimiser = [momentum]"),
          c("space.beta1.when.optimizer", "adamw", "space.beta1.when.optimizer = [adamw]"),
          c("space.learningRate.scale", "'logarithmic'", "space.learningRate.scale = logarithmic"),
          c(
              "space.learningrate",
              "'learningRate'",
              "space.learningrate { scale = log, low = 1e-4, high = 1e-2 }"),
          c("space.dropout", "0.2", "model.dropout = 0.2"),
          c("model.activation", "3", "model.activation = 3"),
          c("model.optimiser", "'optimizer'", "model.optimiser = adam"),
          c("data.source", "'hdf5'", "data.source = hdf5"),
          c("data.validationFraction", "1.5", "data.validationFraction = 1.5"),
          c("data.header", "'maybe'", "data.header = maybe"),
          c("data.path", "= csv", "data.source = csv"),
          c("execution.replicas", "0", "execution.replicas = 0"),
          c("execution.layout", "'spread'", "execution.layout = spread"),
          c("final.train", "'sometimes'", "final.train = sometimes"),
          c("study.carried", "'resume'", "study.carried = resume"),
          c("space.learningRate.values", "[1]", "space.learningRate.values = [1]"),
          c("space.learningRate.limits", "0.001", "space.learningRate.limits = [1e-3, 1]"),
          c("output.dir", "''", "output.dir = \"\""),
          c("space.beta1", "none", "space.beta1.when = null"),
          c("space.units.scale", "log", "space.units { scale = log, low = 16.0, high = 256.0 }"),
          c("space.dropout.high", "1.5", "space.dropout.high = 1.5"));

  @Test
  void everyMalformedConfigFailsNamingTheKeyAndTheValue() {
    assertTrue(MALFORMED.size() >= 25);
    Set<String> messages = new HashSet<>();
    for (Case c : MALFORMED) {
      StudyConfigException e =
          assertThrows(
              StudyConfigException.class,
              () -> parse(c.overrides().toArray(String[]::new)),
              c.toString());
      String m = e.getMessage();
      assertTrue(m.contains(c.key() + ":") || m.contains(c.key() + " "), c + " -> " + m);
      assertTrue(m.contains(c.value()), c + " -> " + m);
      assertTrue(m.startsWith("test.conf") || m.startsWith("override "), c + " -> " + m);
      assertTrue(messages.add(m), "two cases give the same message: " + m);
    }
  }

  @Test
  void anErrorInTheFileNamesFileLineKeyRuleAndValue() {
    String bad = BASE.replace("low = 1e-4, high = 1e-2", "low = -0.001, high = 1e-2");
    StudyConfigException e =
        assertThrows(
            StudyConfigException.class, () -> StudyConfig.parse(bad, "conf/x.conf", List.of()));
    assertEquals(
        "conf/x.conf: 9: space.learningRate.low: must be > 0 on a log scale, got -0.001",
        e.getMessage());
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("conf"))) {
      return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
  }

  @Test
  void theExamplesParseAndRenderBackToThemselves() throws IOException {
    List<Path> files = examples();
    assertTrue(files.size() >= 3, files.toString());
    for (Path f : files) {
      StudySpec spec = StudyConfig.load(f, List.of());
      assertEquals(spec, StudyConfig.parse(spec.render(), "rendered", List.of()), f.toString());
      assertEquals(spec, StudyConfig.parse(spec.renderJson(), "rendered", List.of()), f.toString());
      // A study can start from every example.
      assertTrue(Study.create(spec.study(), spec.space()).ask().size() > 0);
    }
    StudySpec quick = StudyConfig.load(Path.of("conf/quickstart.conf"), List.of());
    assertEquals(3, quick.study().rounds().size());
    assertEquals(DataSpec.Source.SYNTHETIC, quick.data().source());
    StudySpec fashion = StudyConfig.load(Path.of("conf/fashion-mnist.conf"), List.of());
    assertEquals(new Domain.IntLog(256, 1024), fashion.space().get("units").domain());
    assertEquals(new Domain.Pow2(64, 256), fashion.space().get("batchSize").domain());
    assertEquals(DataSpec.Source.IDX, fashion.data().source());
    StudySpec cluster = StudyConfig.load(Path.of("conf/cluster.conf"), List.of());
    assertEquals(ExecutionSpec.Layout.SHARDED, cluster.execution().layout());
    assertTrue(cluster.data().path().startsWith("hdfs://"));
  }

  @Test
  void renderWritesEveryKeyDefaultsIncluded() {
    String text = parse().render();
    for (String k :
        List.of(
            "elite",
            "margin",
            "carry",
            "divergenceFactor",
            "sampler",
            "validationFraction",
            "broadcastLimitMb",
            "dir",
            "choiceFloor",
            "minWidth")) {
      assertTrue(text.contains(k), k + " missing from\n" + text);
    }
    assertNull(parse().data().testPath());
  }

  /** Every key the parser accepts is documented in conf/README.md, and nothing else is. */
  @Test
  void theReadmeDocumentsExactlyTheKeysTheParserAccepts() throws IOException {
    String readme = Files.readString(Path.of("conf/README.md"));
    Pattern row =
        Pattern.compile(
            "^\\| `((?:"
                + String.join("|", Keys.fields(""))
                + ")\\.[^`]*)` \\| (.*?) \\| (.*) \\|$",
            Pattern.MULTILINE);
    Matcher m = row.matcher(readme);
    List<String> documented = new ArrayList<>();
    while (m.find()) {
      documented.add(m.group(1) + " | " + m.group(2) + " | " + m.group(3));
    }
    // Key, default and meaning, row by row and in order: the README is the key table.
    List<String> declared = new ArrayList<>();
    for (Keys.Key k : Keys.all()) {
      declared.add(k.path() + " | " + k.docDefault() + " | " + k.doc());
    }
    assertEquals(declared, documented);
    assertEquals(StudyConfig.KEYS.size(), documented.size());
    // And every hyperparameter the validator knows is in the README's name table.
    List<String> missing = new ArrayList<>();
    for (String name : Hyperparameters.names()) {
      if (!readme.contains("`" + name + "`")) {
        missing.add(name);
      }
    }
    assertEquals(List.of(), missing);
  }

  /** The parser really accepts each documented key: a config using every one of them parses. */
  @Test
  void aConfigUsingEveryKeyParses() {
    StudySpec s =
        parse(
            "study { elite = 0.2, margin = 0.05, carry = 1, metric = loss, divergenceFactor = 5,"
                + " sampler = sobol, minWidth = 0.1, choiceFloor = 1,"
                + " stopping { rule = halving, at = [0.25, 0.5], keep = 0.4, minEpochs = 6 } }",
            "data { source = csv, path = x.csv, labelsPath = null, testPath = t.csv,"
                + " testLabelsPath = null, labelColumn = y, featuresColumn = null, header = false,"
                + " testFraction = 0, validationFraction = 0.3,"
                + " synthetic { rows = 100, features = 2, classes = 2, difficulty = 0 } }",
            "space.dropout.limits = [0, 0.5]",
            "space.init { scale = fixed, value = he }",
            "execution { layout = sharded, shards = 4, replicas = 2, broadcastLimitMb = 10 }",
            "final { models = 3, train = lastRound }",
            "output.dir = out");
    assertEquals(Objective.LOSS, s.study().metric());
    assertEquals(
        new Stopping(Stopping.Rule.HALVING, List.of(0.25, 0.5), 0.4, 6), s.study().stopping());
    assertTrue(s.render().contains("rule=halving"), s.render());
    assertEquals(new Domain.Linear(0, 0.5), s.space().get("dropout").limits());
    assertEquals("he", ((Domain.Fixed) s.space().get("init").domain()).value());
    assertEquals(2, s.execution().replicas());
    assertEquals(3, s.execution().finalModels());
    assertEquals(ExecutionSpec.FinalTrain.LAST_ROUND, s.execution().finalTrain());
    // The resolved config names it, so that a resume under another final.train is refused.
    assertTrue(s.render().contains("train=lastRound"), s.render());
  }

  @Test
  void carriedTrialsRestartUnlessTheConfigSaysContinue() {
    assertEquals(Carried.RESTART, StudyConfig.parse(BASE, "x.conf", List.of()).study().carried());
    StudySpec s = StudyConfig.parse(BASE, "x.conf", List.of("study.carried = continue"));
    assertEquals(Carried.CONTINUE, s.study().carried());
    // The resolved config names it: a resume under the other choice would ask for other seeds.
    assertTrue(s.render().contains("carried=continue"), s.render());
  }

  @Test
  void continueTakesItsEpochsOrASixthOfTheLastRounds() {
    StudySpec s =
        StudyConfig.parse(BASE, "x.conf", List.of("final.train = continue", "final.epochs = 4"));
    assertEquals(ExecutionSpec.FinalTrain.CONTINUE, s.execution().finalTrain());
    assertEquals(4, s.execution().finalEpochs());
    assertEquals(4, s.execution().continueEpochs(30));
    assertTrue(s.render().contains("train=continue"), s.render());
    assertTrue(s.render().contains("epochs=4"), s.render());
    ExecutionSpec byRule =
        StudyConfig.parse(BASE, "x.conf", List.of("final.train = continue")).execution();
    assertEquals(0, byRule.finalEpochs());
    assertEquals(5, byRule.continueEpochs(30));
    assertEquals(2, byRule.continueEpochs(10));
    assertEquals(1, byRule.continueEpochs(1), "at least one epoch");
  }

  @Test
  void retrainedNetworksJoinTheLastRoundsWhenAsked() {
    assertEquals(0, StudyConfig.parse(BASE, "x.conf", List.of()).execution().finalRetrained());
    StudySpec s =
        StudyConfig.parse(BASE, "x.conf", List.of("final.train = continue", "final.retrained = 2"));
    assertEquals(2, s.execution().finalRetrained());
    // Rendered and read back: a resume compares it like every other key.
    assertTrue(s.render().contains("retrained=2"), s.render());
    assertEquals(s, StudyConfig.parse(s.render(), "config.conf", List.of()));
    assertEquals(
        1,
        StudyConfig.parse(BASE, "x.conf", List.of("final.train = lastRound", "final.retrained = 1"))
            .execution()
            .finalRetrained());
  }

  @Test
  void aRoundsConfirmationIsReadRenderedAndReadBack() {
    StudySpec plain = StudyConfig.parse(BASE, "x.conf", List.of());
    assertEquals(dev.caviar.study.Confirm.NONE, plain.study().rounds().get(0).confirm());
    // A study without one renders as before: its config.conf still compares equal on --resume.
    assertTrue(!plain.render().contains("confirm"), plain.render());
    StudySpec s =
        StudyConfig.parse(
            BASE,
            "x.conf",
            List.of(
                "study.rounds = [{ trials = 8, epochs = 1 }, { trials = 4, epochs = 2, confirm {"
                    + " top = 2, replicates = 3 } }]"));
    assertEquals(dev.caviar.study.Confirm.NONE, s.study().rounds().get(0).confirm());
    assertEquals(new dev.caviar.study.Confirm(2, 3), s.study().rounds().get(1).confirm());
    assertEquals(s, StudyConfig.parse(s.render(), "config.conf", List.of()));
  }
}
