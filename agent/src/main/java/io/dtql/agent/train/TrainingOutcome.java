package io.dtql.agent.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a training loop ended.
 *
 * @param finalStep the agent's step when the loop returned
 * @param stoppedEarly true when a stop request ended the loop before totalSteps
 * @param lastCheckpoint the checkpoint written last by this loop, if it wrote any
 * @param timeLimitReached true when the loop's time limit ended it before totalSteps (a planned
 *     end, unlike a stop request)
 */
public record TrainingOutcome(
    long finalStep, boolean stoppedEarly, Optional<Path> lastCheckpoint, boolean timeLimitReached) {
  public TrainingOutcome {
    if (stoppedEarly && timeLimitReached) {
      throw new IllegalArgumentException(
          "a loop ends by a stop request or its time limit, not both");
    }
  }

  /** An outcome without a time limit. */
  public TrainingOutcome(long finalStep, boolean stoppedEarly, Optional<Path> lastCheckpoint) {
    this(finalStep, stoppedEarly, lastCheckpoint, false);
  }
}
