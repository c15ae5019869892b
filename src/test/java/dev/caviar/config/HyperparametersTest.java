package dev.caviar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.OptimizerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

  @Test
  void aTrialWithNothingSetTrainsTheCataloguesDefaults() {
    NetworkSpec s = Hyperparameters.toSpec(Map.of(), 784, 10, 3, 0);
    assertEquals(List.of(256, 256), s.hidden());
    assertEquals(NetworkSpec.DEFAULT_LEARNING_RATE, s.learningRate());
    assertEquals(NetworkSpec.DEFAULT_BN_EPSILON, s.bnEpsilon());
    assertEquals(OptimizerSpec.Kind.ADAM, s.optimizer().kind());
    for (Hyperparameters.Hyperparameter h : Hyperparameters.ALL) {
      if (h.defaultValue() != null) {
        assertEquals(h.defaultValue(), h.normalize(h.name(), h.defaultValue()), h.name());
      }
    }
  }

  /** bnEpsilon was added as one catalogue row and one toSpec line: it reaches the engine. */
  @Test
  void bnEpsilonIsFixedOrSearchedLikeAnyOther() {
    assertEquals(1e-3, Hyperparameters.toSpec(Map.of("bnEpsilon", 1e-3), 4, 2, 1, 0).bnEpsilon());
    StudySpec fixed =
        StudyConfig.parse(StudyConfigTest.BASE, "t.conf", List.of("model.bnEpsilon = 1e-3"));
    assertEquals(1e-3, fixed.model().get("bnEpsilon"));
    StudySpec searched =
        StudyConfig.parse(
            StudyConfigTest.BASE,
            "t.conf",
            List.of("space.bnEpsilon { scale = log, low = 1e-5, high = 1e-2 }"));
    assertEquals("log[0.00001, 0.01]", searched.space().get("bnEpsilon").domain().describe());
    StudyConfigException e =
        assertThrows(
            StudyConfigException.class,
            () ->
                StudyConfig.parse(StudyConfigTest.BASE, "t.conf", List.of("model.bnEpsilon = 1")));
    assertEquals(
        "override model.bnEpsilon: 1: model.bnEpsilon: must be in (0, 1), got 1", e.getMessage());
  }

  @Test
  void theEngineRulesAreTheCataloguesRules() {
    // epsilon >= 1 was accepted by the config and rejected by the engine in every trial.
    assertThrows(
        IllegalArgumentException.class,
        () -> Hyperparameters.normalize("model.epsilon", "epsilon", 1.0));
    assertEquals(
        "model.lr: unknown hyperparameter 'lr', did you mean 'l2'?",
        assertThrows(IllegalArgumentException.class, () -> Hyperparameters.get("model.lr", "lr"))
            .getMessage());
  }
}
