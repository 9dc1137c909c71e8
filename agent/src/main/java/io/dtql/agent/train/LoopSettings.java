package io.dtql.agent.train;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the loop runs, as opposed to what it learns (that is DtqlConfig).
 *
 * @param totalSteps step at which training ends
 * @param checkpointEvery save a checkpoint at every multiple of this step (0 = only at the end)
 * @param logEvery write a metrics row at every multiple of this step, and at the last step
 * @param timeLimit end this process's training once this much wall time has passed since the loop
 *     started, after the current step and with a checkpoint, even before {@code totalSteps}; empty
 *     for no limit
 */
public record LoopSettings(
    long totalSteps, long checkpointEvery, long logEvery, Optional<Duration> timeLimit) {
  public LoopSettings {
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("total-steps must be > 0, got " + totalSteps);
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpoint-every must be >= 0, got " + checkpointEvery);
    }
    if (logEvery <= 0) {
      throw new IllegalArgumentException("log-every must be > 0, got " + logEvery);
    }
    Objects.requireNonNull(timeLimit, "timeLimit");
    timeLimit.ifPresent(LoopSettings::requirePositive);
  }

  /** Settings without a time limit. */
  public LoopSettings(long totalSteps, long checkpointEvery, long logEvery) {
    this(totalSteps, checkpointEvery, logEvery, Optional.empty());
  }

  /** Refuses a time limit that is zero or negative. */
  static void requirePositive(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("time limit must be > 0, got " + limit);
    }
  }
}
