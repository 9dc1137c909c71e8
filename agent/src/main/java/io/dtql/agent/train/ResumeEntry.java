package io.dtql.agent.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One resume, as appended to {@code resumes} in a run's {@code config.json}.
 *
 * @param checkpoint the checkpoint file resumed from
 * @param step its step
 * @param trainStepsBefore the run's train-steps before this resume
 * @param trainSteps the run's train-steps from this resume on (larger when extended)
 * @param dataset where the dataset was read from this time
 * @param device where the resumed process put its tensors
 */
public record ResumeEntry(
    Path checkpoint,
    long step,
    long trainStepsBefore,
    long trainSteps,
    Path dataset,
    String device) {
  public ResumeEntry {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(device, "device");
  }
}
