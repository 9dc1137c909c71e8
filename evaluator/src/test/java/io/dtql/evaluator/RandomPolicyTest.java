package io.dtql.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomPolicyTest {
  @Test
  void actionsStayInsideTheBoxAndAreReproducibleFromTheSeed() {
    double[] low = {-1, 0};
    double[] high = {1, 0.5};
    float[] a = new RandomPolicy(low, high, 7).act(new double[30], 10);
    float[] b = new RandomPolicy(low, high, 7).act(new double[30], 10);
    assertArrayEquals(a, b);
    for (int i = 0; i < a.length; i++) {
      int j = i % 2;
      assertTrue(a[i] >= low[j] && a[i] <= high[j], "action " + a[i] + " outside bound " + j);
    }
  }

  @Test
  void unboundedActionSpaceIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RandomPolicy(
                new double[] {Double.NEGATIVE_INFINITY},
                new double[] {Double.POSITIVE_INFINITY},
                0));
  }
}
