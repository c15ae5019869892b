package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class StandardizerTest {

  @Test
  void constantFeaturesKeepScaleOne() {
    Standardizer s = Standardizer.of(new double[] {5, 1e6, 2}, new double[] {0, 1e-9, 4});
    assertArrayEquals(new double[] {1, 1, 4}, s.scale());
    float[] out = new float[3];
    s.apply(new double[] {5, 1e6, 10}, out, 0);
    assertArrayEquals(new float[] {0, 0, 2}, out);
  }

  @Test
  void rejectsNonFiniteOrNonPositiveValuesNamingThem() {
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Standardizer(new double[] {Double.NaN}, new double[] {1}));
    assertTrue(nan.getMessage().contains("mean[0] must be finite, got NaN"), nan.getMessage());
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Standardizer(new double[] {0}, new double[] {0}));
    assertTrue(zero.getMessage().contains("scale[0]"), zero.getMessage());
  }

  @Test
  void survivesJavaSerialisationSoASavedModelCanCarryIt() throws Exception {
    Standardizer s = Standardizer.of(new double[] {1, 2}, new double[] {3, 4});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(s, in.readObject());
    }
  }
}
