package io.dtql.agent.train;

/**
 * How the loop runs, as opposed to what it learns (that is DtqlConfig).
 *
 * @param totalSteps step at which training ends
 * @param checkpointEvery save a checkpoint at every multiple of this step (0 = only at the end)
 * @param logEvery write a metrics row at every multiple of this step, and at the last step
 */
public record LoopSettings(long totalSteps, long checkpointEvery, long logEvery) {
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
  }
}
