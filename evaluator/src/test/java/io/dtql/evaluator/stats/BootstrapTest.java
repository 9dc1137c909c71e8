package io.dtql.evaluator.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {
  @Test
  void iqmCutsAQuarterFromEachEnd() {
    assertEquals(2.5, Bootstrap.iqm(new double[] {1, 2, 3, 4}), 1e-12); // n/4 = 1 cut each side
    assertEquals(3.0, Bootstrap.iqm(new double[] {100, 2, 3, 4, -50}), 1e-12); // middle three
    assertEquals(7.0, Bootstrap.iqm(new double[] {7}), 1e-12);
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    double[] sorted = {1, 2, 3, 4};
    assertEquals(1.075, Bootstrap.percentile(sorted, 0.025), 1e-12);
    assertEquals(3.925, Bootstrap.percentile(sorted, 0.975), 1e-12);
  }

  @Test
  void meanIntervalCoversTheMeanAndMatchesTheNormalTheoryWidth() {
    SplittableRandom random = new SplittableRandom(1);
    double[] values = new double[400];
    for (int i = 0; i < values.length; i++) {
      values[i] = 10 + 2 * random.nextGaussian();
    }
    Interval ci = Bootstrap.meanInterval(values);
    assertEquals(Bootstrap.mean(values), ci.estimate(), 1e-12);
    // For a mean of n normal values the 95% interval is about +- 1.96 sd / sqrt(n) = +- 0.196.
    double halfWidth = (ci.high() - ci.low()) / 2;
    assertEquals(0.196, halfWidth, 0.03);
    assertTrue(ci.low() < 10 && 10 < ci.high(), ci.toString());
  }

  @Test
  void identicalValuesGiveAPointInterval() {
    Interval ci = Bootstrap.meanInterval(new double[] {5, 5, 5});
    assertEquals(new Interval(5, 5, 5), ci);
  }

  @Test
  void sameScoresGiveTheSameInterval() {
    double[] values = {1, 7, 3, 9, 4, 4, 8};
    assertEquals(Bootstrap.meanInterval(values), Bootstrap.meanInterval(values.clone()));
  }

  @Test
  void stratifiedIqmKeepsEveryTasksRunsInItsOwnStratum() {
    // Task A's runs all score 0, task B's all 100: any stratified resample keeps 3 of each, so
    // the IQM of the pooled six scores is always the same and the interval is a point.
    Interval ci = Bootstrap.iqmInterval(new double[][] {{0, 0, 0}, {100, 100, 100}});
    assertEquals(new Interval(50, 50, 50), ci);
  }

  @Test
  void nonFiniteOrMissingScoresAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Bootstrap.meanInterval(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.meanInterval(new double[0]));
  }

  @Test
  void intervalsMapThroughAffineNormalisation() {
    Interval normalised = new Interval(2, 1, 4).map(10, -5);
    assertEquals(new Interval(15, 5, 35), normalised);
  }
}
