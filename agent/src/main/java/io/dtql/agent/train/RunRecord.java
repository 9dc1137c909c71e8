package io.dtql.agent.train;

import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run's {@code config.json} says about it: the source a resume takes its settings from.
 *
 * @param config the run's configuration (after an extension, with the extended train-steps)
 * @param shape the problem shape the agent is built for
 * @param dataset the dataset path the run started on (absolute)
 * @param datasetFingerprint sizes and SHA-256 of the dataset's files when the run started; empty
 *     for a run started before fingerprints were recorded
 * @param outputs checkpoint, logging and retention settings of the latest process
 */
public record RunRecord(
    DtqlConfig config,
    ProblemShape shape,
    Path dataset,
    Optional<DatasetFingerprint> datasetFingerprint,
    OutputSettings outputs) {
  public RunRecord {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(datasetFingerprint, "datasetFingerprint");
    Objects.requireNonNull(outputs, "outputs");
  }
}
