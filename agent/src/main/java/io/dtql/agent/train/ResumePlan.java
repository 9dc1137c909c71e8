package io.dtql.agent.train;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A checked resume: where it continues from and with what.
 *
 * @param checkpointPath the checkpoint file resumed from
 * @param checkpoint its contents
 * @param run the run directory owning the checkpoint; empty for a checkpoint kept elsewhere (the
 *     resumed run then gets a new directory)
 * @param record that run's {@code config.json}, when it has one
 * @param config the configuration to continue with (the run's, with train-steps extended if asked)
 * @param shape the run's problem shape
 * @param dataset where to read the run's dataset (verified against the record when it has a
 *     fingerprint)
 */
public record ResumePlan(
    Path checkpointPath,
    CheckpointFile checkpoint,
    Optional<RunDirectory> run,
    Optional<RunRecord> record,
    DtqlConfig config,
    ProblemShape shape,
    Path dataset) {
  /** The run's train-steps before this resume (its config.json's, else the checkpoint's). */
  public long previousTotalSteps() {
    return record.map(r -> r.config().trainSteps()).orElse(checkpoint.config().trainSteps());
  }
}
