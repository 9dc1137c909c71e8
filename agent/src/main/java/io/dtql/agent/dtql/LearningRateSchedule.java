package io.dtql.agent.dtql;

/** Learning rate as a function of how many updates an optimiser has already applied. */
@FunctionalInterface
public interface LearningRateSchedule {
  /** Rate for the update that follows {@code updatesDone} earlier updates. */
  double rate(long updatesDone);

  /** A fixed rate. */
  static LearningRateSchedule constant(double rate) {
    requireRate(rate);
    return updatesDone -> rate;
  }

  /**
   * Cosine decay from {@code base} to 0 over {@code totalUpdates} (PyTorch's CosineAnnealingLR with
   * eta_min 0), stepped once per update and held at 0 afterwards.
   */
  static LearningRateSchedule cosine(double base, long totalUpdates) {
    requireRate(base);
    if (totalUpdates <= 0) {
      throw new IllegalArgumentException("total-updates must be > 0, got " + totalUpdates);
    }
    return updatesDone -> {
      double progress = Math.min(updatesDone, totalUpdates) / (double) totalUpdates;
      return base * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * {@code base} for the first {@code holdUpdates} updates, then {@link #cosine} over {@code
   * decayUpdates}: the critic and BC rates of a run that pretrains before training.
   */
  static LearningRateSchedule cosineAfter(double base, long holdUpdates, long decayUpdates) {
    if (holdUpdates < 0) {
      throw new IllegalArgumentException("hold-updates must be >= 0, got " + holdUpdates);
    }
    LearningRateSchedule decay = cosine(base, decayUpdates);
    return updatesDone -> updatesDone < holdUpdates ? base : decay.rate(updatesDone - holdUpdates);
  }

  private static void requireRate(double rate) {
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0, got " + rate);
    }
  }
}
