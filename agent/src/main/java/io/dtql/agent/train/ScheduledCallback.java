package io.dtql.agent.train;

import java.util.Map;
import java.util.Objects;

/**
 * A {@link PeriodicCallback} and when the loop calls it: at every multiple of {@code every} and at
 * the run's last step (the end of training is the policy a run is judged by; the loop also calls it
 * where its time limit ends the run), but not at a step where a stop request ends the run early,
 * which should stop promptly. The schedule depends on the step alone, so a resumed run keeps it.
 *
 * @param every call at every multiple of this step; 0 = never
 * @param callback what to call
 */
public record ScheduledCallback(long every, PeriodicCallback callback) {
  private static final ScheduledCallback NONE = new ScheduledCallback(0, (step, agent) -> Map.of());

  public ScheduledCallback {
    if (every < 0) {
      throw new IllegalArgumentException("callback every must be >= 0, got " + every);
    }
    Objects.requireNonNull(callback, "callback");
  }

  /** No callback at all. */
  public static ScheduledCallback none() {
    return NONE;
  }

  /** Whether the loop calls back after reaching {@code step} of a run ending at {@code total}. */
  boolean isDue(long step, long total) {
    return every > 0 && (step % every == 0 || step == total);
  }
}
