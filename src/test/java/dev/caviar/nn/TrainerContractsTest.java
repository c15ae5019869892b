package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer's babysitting and schedule: divergence reasons, the ln C check, decay per epoch. */
class TrainerContractsTest {

  @Test
  void nanInfAndTheExplosionFactorEachGiveTheirReason() {
    assertEquals("loss is NaN", Trainer.divergence(Double.NaN, 1, 1, 10));
    assertEquals("loss is Infinity", Trainer.divergence(Double.POSITIVE_INFINITY, 1, 1, 10));
    assertEquals("loss is -Infinity", Trainer.divergence(Double.NEGATIVE_INFINITY, 1, 1, 10));
    assertEquals(
        "loss 23.01 exceeds 10.00 x initial loss 2.300", Trainer.divergence(23.01, 23.01, 2.3, 10));
    // At the limit itself the run goes on; the L2 term does not count towards the explosion.
    assertNull(Trainer.divergence(23, 23, 2.3, 10));
    assertNull(Trainer.divergence(500, 2.3, 2.3, 10));
  }

  @Test
  void aNanFeatureDivergesAtTheFirstBatchWithItsReason() {
    DataView data = TrainerTest.blobs(64, 4, 3, 1.0, 2);
    data.features()[5] = Float.NaN;
    NetworkSpec spec =
        NetworkSpec.builder(4, 3).hidden(8).batchNorm(false).batchSize(64).epochs(2).build();
    TrainingResult r = Trainer.train(spec, data, data, 1);
    assertEquals(TrainingResult.Status.DIVERGED, r.status());
    assertEquals("loss is NaN", r.reason());
    assertEquals(0, r.divergedEpoch());
    assertEquals(0, r.divergedBatch());
    assertEquals(Double.POSITIVE_INFINITY, r.validationLoss());
    assertNull(r.model());
  }

  @Test
  void anExplodingLossDivergesWithTheFactorInItsReason() {
    DataView data = TrainerTest.blobs(256, 10, 4, 3.0, 6);
    NetworkSpec spec =
        NetworkSpec.builder(10, 4)
            .hidden(32)
            .batchNorm(false)
            .optimizer(OptimizerSpec.sgd())
            .learningRate(50)
            .batchSize(16)
            .epochs(3)
            .divergenceFactor(3)
            .build();
    TrainingResult r = Trainer.train(spec, data, null, 4);
    assertEquals(TrainingResult.Status.DIVERGED, r.status());
    assertTrue(
        r.reason().matches("loss \\S+ exceeds 3\\.000 x initial loss \\S+")
            || r.reason().startsWith("loss is "),
        r.reason());
    assertTrue(r.divergedBatch() >= 0 && r.divergedEpoch() >= 0);
  }

  /** alpha_e for epochs 0..4, written out per kind, against EpochStats.learningRate. */
  @Test
  void eachDecayKindSetsTheRateOfEveryEpoch() {
    DataView data = TrainerTest.blobs(60, 4, 3, 1.0, 3);
    double a0 = 0.02;
    List<DecaySpec> kinds =
        List.of(
            DecaySpec.NONE,
            DecaySpec.inverseTime(0.5),
            DecaySpec.exponential(0.8),
            DecaySpec.step(0.5, 2));
    double[][] expected = {
      {a0, a0, a0, a0, a0},
      {a0, a0 / 1.5, a0 / 2, a0 / 2.5, a0 / 3},
      {a0, a0 * 0.8, a0 * 0.64, a0 * 0.512, a0 * 0.4096},
      {a0, a0, a0 / 2, a0 / 2, a0 / 4}
    };
    for (int k = 0; k < kinds.size(); k++) {
      NetworkSpec spec =
          NetworkSpec.builder(4, 3)
              .hidden(5)
              .learningRate(a0)
              .decay(kinds.get(k))
              .batchSize(20)
              .epochs(5)
              .build();
      List<EpochStats> history = Trainer.train(spec, data, null, 1).history();
      assertEquals(5, history.size());
      for (int e = 0; e < 5; e++) {
        assertEquals(e, history.get(e).epoch());
        assertEquals(
            expected[k][e], history.get(e).learningRate(), 1e-15, kinds.get(k) + " epoch " + e);
      }
    }
  }

  /** A large lambda would lift the initial loss far above ln C if it were counted. */
  @Test
  void initialLossIsTheDataLossWithoutTheL2Term() {
    DataView data = TrainerTest.blobs(128, 20, 5, 0.5, 7);
    NetworkSpec spec =
        NetworkSpec.builder(20, 5).hidden(30).l2(1e4).batchSize(32).epochs(1).build();
    TrainingResult r = Trainer.train(spec, data, null, 2);
    assertEquals(Math.log(5), r.initialLoss(), 0.1 * Math.log(5));
    assertEquals("", r.initialLossWarning());
    assertTrue(r.history().get(0).trainLoss() > 2 * Math.log(5), "the L2 term is in trainLoss");
  }

  @Test
  void anInitialLossMoreThanTenPercentOffLnCIsWarned() {
    double ln = Math.log(10);
    assertEquals("", result(ln * 1.0999).initialLossWarning());
    assertEquals("", result(ln * 0.9001).initialLossWarning());
    assertEquals(
        "initial loss 2.556 is more than 10% away from ln C = 2.303",
        result(ln * 1.11).initialLossWarning());
    assertEquals(
        "initial loss 2.049 is more than 10% away from ln C = 2.303",
        result(ln * 0.89).initialLossWarning());
  }

  private static TrainingResult result(double initial) {
    return new TrainingResult(
        TrainingResult.Status.OK,
        "",
        -1,
        -1,
        initial,
        Math.log(10),
        List.of(),
        1,
        0.5,
        1,
        1,
        null,
        null);
  }

  /** lambda/(2N): the same l2 regularises the same whatever the mini-batch size. */
  @Test
  void theL2TermIsPerTrainingSetNotPerMiniBatch() {
    DataView data = TrainerTest.blobs(96, 6, 3, 1.0, 9);
    NetworkSpec spec = NetworkSpec.builder(6, 3).hidden(10).l2(3).batchSize(96).epochs(1).build();
    double withL2 = Trainer.train(spec, data, null, 5).history().get(0).trainLoss();
    double without =
        Trainer.train(spec.toBuilder().l2(0).build(), data, null, 5).history().get(0).trainLoss();
    // The one batch is the whole set (N = m = 96) so both readings agree here; the term itself:
    Network net = new Network(spec, dev.ludovic.netlib.blas.BLAS.getInstance(), 96, 96, 1, 2);
    double sq = 0;
    for (int i = 0; i < net.weightCount; i++) {
      sq += (double) net.params[i] * net.params[i];
    }
    assertTrue(withL2 > without, "the L2 term adds to the training loss");
    Network half = new Network(spec, dev.ludovic.netlib.blas.BLAS.getInstance(), 48, 96, 1, 2);
    int[] order = new int[96];
    for (int i = 0; i < 96; i++) {
      order[i] = i;
    }
    half.gather(data, order, 0, 48);
    double loss = half.forwardLoss(48);
    assertEquals(3.0 / (2 * 96) * sq, loss - half.lastDataLoss, 1e-6 * loss);
  }
}
