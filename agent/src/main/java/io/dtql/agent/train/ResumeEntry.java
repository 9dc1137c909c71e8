package io.dtql.agent.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One resume, as appended to {@code resumes} in a run's {@code config.json}.
 *
 * @param checkpoint the checkpoint file resumed from
 * @param step its step
 * @param totalStepsBefore the run's total-steps before this resume
 * @param totalSteps the run's total-steps from this resume on (larger when extended)
 * @param dataset where the dataset was read from this time
 * @param device where the resumed process put its tensors
 */
public record ResumeEntry(
    Path checkpoint,
    long step,
    long totalStepsBefore,
    long totalSteps,
    Path dataset,
    String device) {
  public ResumeEntry {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(device, "device");
  }
}
