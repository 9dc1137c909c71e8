package io.dtql.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RandomPolicyTest {
  @Test
  void actionsStayInsideTheBoxAndEachRowDrawsFromItsOwnStream() {
    double[] low = {-1, 0};
    double[] high = {1, 0.5};
    RandomGenerator[] streams = new RandomGenerator[10];
    for (int i = 0; i < streams.length; i++) {
      streams[i] = new SplittableRandom(i);
    }
    float[] a = new RandomPolicy(low, high).act(new double[30], streams);
    float[] alone =
        new RandomPolicy(low, high)
            .act(new double[3], new RandomGenerator[] {new SplittableRandom(4)});
    assertArrayEquals(new float[] {a[8], a[9]}, alone, "row 4 does not depend on the others");
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
                new double[] {Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY}));
  }
}
