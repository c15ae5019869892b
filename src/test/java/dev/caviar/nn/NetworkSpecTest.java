package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

  private static void rejects(String field, String value, Supplier<?> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  private static NetworkSpec.Builder b() {
    return NetworkSpec.builder(784, 10).hidden(256, 256);
  }

  @Test
  void defaults() {
    NetworkSpec s = NetworkSpec.builder(784, 10).build();
    assertEquals(List.of(), s.hidden());
    assertEquals(Activation.RELU, s.activation());
    assertEquals(Init.HE, s.init());
    assertTrue(s.batchNorm());
    assertEquals(0.9, s.bnMomentum());
    assertEquals(OptimizerSpec.Kind.ADAM, s.optimizer().kind());
    assertEquals(0.999, s.optimizer().beta2());
    assertEquals(1e-8, s.optimizer().epsilon());
    assertEquals(Init.XAVIER, b().activation(Activation.TANH).build().init());
    assertEquals(Init.HE, b().activation(Activation.TANH).init(Init.HE).build().init());
    assertArrayEquals(new int[] {784, 256, 256, 10}, b().build().widths());
  }

  @Test
  void validationNamesFieldAndValue() {
    rejects("learningRate", "-0.001", () -> b().learningRate(-0.001).build());
    rejects("learningRate", "NaN", () -> b().learningRate(Double.NaN).build());
    rejects("dropout", "1.0", () -> b().dropout(1.0).build());
    rejects("bnMomentum", "NaN", () -> b().bnMomentum(Double.NaN).build());
    rejects("bnEpsilon", "0.0", () -> b().bnEpsilon(0).build());
    rejects("l2", "-1.0", () -> b().l2(-1).build());
    rejects("batchSize", "0", () -> b().batchSize(0).build());
    rejects("epochs", "-3", () -> b().epochs(-3).build());
    rejects("classes", "1", () -> NetworkSpec.builder(4, 1).build());
    rejects("inputs", "0", () -> NetworkSpec.builder(0, 3).build());
    rejects("hidden[1]", "0", () -> b().hidden(10, 0).build());
    rejects("divergenceFactor", "1.0", () -> b().divergenceFactor(1).build());
    rejects("optimizer.beta1", "1.0", () -> OptimizerSpec.adam(1.0, 0.999, 1e-8));
    rejects("optimizer.epsilon", "NaN", () -> OptimizerSpec.rmsprop(0.9, Double.NaN));
    rejects("decay.rate", "1.5", () -> DecaySpec.exponential(1.5));
    rejects("decay.stepEpochs", "0", () -> DecaySpec.step(0.5, 0));
  }

  @Test
  void configNamesParseAndErrorsListTheAllowedValues() {
    assertEquals(Activation.LEAKY_RELU, Activation.parse("leakyRelu"));
    assertEquals(Activation.ELU, Activation.parse("elu"));
    assertEquals(Init.XAVIER, Init.parse("xavier"));
    assertEquals(OptimizerSpec.Kind.RMSPROP, OptimizerSpec.Kind.parse("rmsprop"));
    assertEquals(DecaySpec.Kind.INVERSE_TIME, DecaySpec.Kind.parse("inverseTime"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activation.parse("leaky_relu"));
    assertEquals(
        "activation: must be one of relu, leakyRelu, tanh, sigmoid, elu, got 'leaky_relu'",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.Kind.parse("Adam"));
    assertTrue(e.getMessage().contains("sgd, momentum, rmsprop, adam"), e.getMessage());
  }

  @Test
  void decayFormulas() {
    assertEquals(0.1, DecaySpec.NONE.learningRate(0.1, 7), 1e-15);
    assertEquals(0.1 / (1 + 0.5 * 4), DecaySpec.inverseTime(0.5).learningRate(0.1, 4), 1e-15);
    assertEquals(0.1 * Math.pow(0.95, 3), DecaySpec.exponential(0.95).learningRate(0.1, 3), 1e-15);
    assertEquals(0.1 * 0.25, DecaySpec.step(0.5, 3).learningRate(0.1, 7), 1e-15);
    assertEquals(0.1 * 0.5, DecaySpec.step(0.5, 3).learningRate(0.1, 5), 1e-15);
  }

  @Test
  void serialisesByValue() throws Exception {
    NetworkSpec s = b().dropout(0.2).decay(DecaySpec.step(0.5, 2)).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(s, in.readObject());
    }
  }

  @Test
  void dataViewChecksItsShape() {
    rejects("DataView.features", "5", () -> DataView.of(new float[5], new int[2], 3));
    rejects(
        "DataView.rows[1]", "2", () -> new DataView(new float[6], new int[2], 3, new int[] {0, 2}));
  }
}
