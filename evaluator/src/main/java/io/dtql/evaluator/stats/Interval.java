package io.dtql.evaluator.stats;

/** A point estimate with a confidence interval around it, e.g. a mean score and its 95% CI. */
public record Interval(double estimate, double low, double high) {
  public Interval {
    if (!(low <= estimate && estimate <= high)) {
      throw new IllegalArgumentException(
          "interval must hold its estimate: " + low + " <= " + estimate + " <= " + high);
    }
  }

  /** The same interval under the affine map {@code x -> scale * x + shift} (scale > 0). */
  public Interval map(double scale, double shift) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
    return new Interval(scale * estimate + shift, scale * low + shift, scale * high + shift);
  }
}
