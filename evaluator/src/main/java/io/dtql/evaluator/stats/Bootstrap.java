package io.dtql.evaluator.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile-bootstrap confidence intervals, the method rliable uses for aggregate RL scores.
 *
 * <p>With few values (10 episodes, 5 seeds) the interval is wide, and that is the point: it says
 * how much a mean over so few samples can move. The resampling is seeded, so a report shows the
 * same interval every time it is made from the same scores.
 */
public final class Bootstrap {
  /** Enough resamples that the 2.5% and 97.5% percentiles move by well under 1% of the width. */
  public static final int DEFAULT_RESAMPLES = 10_000;

  public static final double DEFAULT_LEVEL = 0.95;
  private static final long SEED = 0x5EED_B007L;

  private Bootstrap() {}

  /** The mean of {@code values} with its 95% percentile-bootstrap interval. */
  public static Interval meanInterval(double[] values) {
    return interval(new double[][] {values}, Bootstrap::mean, DEFAULT_LEVEL, DEFAULT_RESAMPLES);
  }

  /**
   * The interquartile mean of all scores with its 95% stratified-bootstrap interval: {@code
   * scores[t]} are the run scores of task t (one per seed or checkpoint); each resample draws runs
   * with replacement within every task, as rliable does, so every task keeps its weight.
   */
  public static Interval iqmInterval(double[][] scoresPerTask) {
    return interval(scoresPerTask, Bootstrap::iqm, DEFAULT_LEVEL, DEFAULT_RESAMPLES);
  }

  /**
   * {@code statistic} of the pooled values of every stratum, and the percentile interval of that
   * statistic over {@code resamples} stratified resamples at confidence {@code level}.
   */
  public static Interval interval(
      double[][] strata, ToDoubleFunction<double[]> statistic, double level, int resamples) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
    }
    int total = 0;
    for (double[] stratum : strata) {
      if (stratum.length == 0) {
        throw new IllegalArgumentException("every stratum needs at least one value");
      }
      for (double v : stratum) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("cannot bootstrap a non-finite score: " + v);
        }
      }
      total += stratum.length;
    }
    double[] pooled = new double[total];
    double estimate = statistic.applyAsDouble(pool(strata, pooled, null));
    SplittableRandom random = new SplittableRandom(SEED);
    double[] replicates = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      replicates[r] = statistic.applyAsDouble(pool(strata, pooled, random));
    }
    Arrays.sort(replicates);
    double tail = (1 - level) / 2;
    double low = Math.min(estimate, percentile(replicates, tail));
    double high = Math.max(estimate, percentile(replicates, 1 - tail));
    return new Interval(estimate, low, high);
  }

  /** Copies every stratum into {@code into}, drawn with replacement when {@code random} is set. */
  private static double[] pool(double[][] strata, double[] into, SplittableRandom random) {
    int at = 0;
    for (double[] stratum : strata) {
      for (int i = 0; i < stratum.length; i++) {
        into[at++] = random == null ? stratum[i] : stratum[random.nextInt(stratum.length)];
      }
    }
    return into;
  }

  /** Linear interpolation between order statistics (numpy's default percentile). */
  static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }

  public static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * The interquartile mean: the mean of the values left after cutting {@code floor(n / 4)} from
   * each end of the sorted values (scipy's trim_mean(x, 0.25), which rliable uses). Robust to one
   * run that diverged, yet less noisy than the median.
   */
  public static double iqm(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int cut = sorted.length / 4;
    double sum = 0;
    for (int i = cut; i < sorted.length - cut; i++) {
      sum += sorted[i];
    }
    return sum / (sorted.length - 2 * cut);
  }
}
