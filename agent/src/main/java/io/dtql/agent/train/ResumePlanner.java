package io.dtql.agent.train;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.data.DatasetException;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code --resume} and the flags given with it into a {@link ResumePlan}, taking the dataset,
 * preset, shape and every setting from the run's own {@code config.json} (or, for a checkpoint
 * outside a run directory, from the checkpoint).
 *
 * <ul>
 *   <li>{@code --preset}, {@code --seed} and {@code --set} may repeat the run's values but not
 *       change them: a change is refused naming the flag.
 *   <li>{@code --steps N} equal to the run's train-steps changes nothing; a larger N extends the
 *       run to N; a smaller one is refused. With {@code lr-decay} on, the cosine schedules are laid
 *       out over train-steps, so extending rebuilds them over the new horizon, evaluated at the
 *       updates already done: the learning rate jumps from where the old curve was back up to the
 *       new curve's value. That is refused unless {@code force} is set.
 *   <li>{@code --dataset} may name where the run's dataset lives now; without it the recorded path
 *       is used. Either way the files must have the recorded sizes and SHA-256 hashes.
 * </ul>
 */
public final class ResumePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(ResumePlanner.class);
  private static final String TRAIN_STEPS = "train-steps";

  private ResumePlanner() {}

  /**
   * Checks the request against the run and resolves what to continue with.
   *
   * @throws ResumeConflictException a flag contradicts the run (the message names it)
   * @throws io.dtql.agent.checkpoint.CheckpointException the checkpoint is missing, damaged or of
   *     another run
   * @throws DatasetException the dataset is missing or differs from the recorded one
   * @throws IOException the run's files cannot be read
   */
  public static ResumePlan plan(ResumeRequest request) throws IOException {
    Path checkpointPath = CheckpointStore.resolveResumeTarget(request.target());
    CheckpointFile checkpoint = CheckpointFile.read(checkpointPath);
    Optional<Path> owner = CheckpointStore.runDirectoryOf(checkpointPath);
    Optional<RunDirectory> run =
        owner.isPresent() ? Optional.of(RunDirectory.open(owner.get())) : Optional.empty();
    Optional<RunRecord> record = run.isPresent() ? run.get().readRecord() : Optional.empty();
    DtqlConfig runConfig = record.map(RunRecord::config).orElse(checkpoint.config());
    ProblemShape shape = record.map(RunRecord::shape).orElse(checkpoint.shape());
    String source =
        record.isPresent()
            ? "the run's config.json (" + run.get().path().resolve(RunDirectory.CONFIG_FILE) + ")"
            : "the checkpoint " + checkpointPath;

    requireNoConflicts(request, runConfig, source);
    DtqlConfig config = extended(request, runConfig, source);
    // The checkpoint may predate an extension recorded in config.json: compare all but the total.
    checkpoint.requireCompatible(
        checkpointPath,
        ConfigFields.withOverrides(
            config, Map.of(TRAIN_STEPS, Long.toString(checkpoint.config().trainSteps()))),
        shape);

    Path dataset = dataset(request, record);
    if (record.isPresent()) {
      verifyDataset(record.get(), dataset, run.get().path());
    }
    return new ResumePlan(checkpointPath, checkpoint, run, record, config, shape, dataset);
  }

  /**
   * The directory a planned resume writes into, with the resume recorded in its {@code
   * config.json}: the run's own directory, whose record gains a {@code resumes} entry and keeps its
   * dataset record; or, for a checkpoint outside any run directory, a new directory under {@code
   * outputDir} (and for a run directory without config.json, that directory) with a record started
   * by this resume, fingerprinting the dataset as it is now.
   */
  public static RunDirectory openRun(
      ResumePlan plan, OutputSettings outputs, String device, Path outputDir) throws IOException {
    if (plan.run().isPresent() && plan.record().isPresent()) {
      RunDirectory run = plan.run().get();
      run.recordResume(
          plan.config(),
          outputs,
          new ResumeEntry(
              plan.checkpointPath(),
              plan.checkpoint().step(),
              plan.previousTotalSteps(),
              plan.config().trainSteps(),
              plan.dataset(),
              device));
      return run;
    }
    RunDirectory run =
        plan.run().isPresent()
            ? plan.run().get()
            : RunDirectory.create(
                outputDir, plan.config().preset(), plan.config().seed(), LocalDateTime.now());
    run.writeRecord(
        new RunRecord(
            plan.config(),
            plan.shape(),
            plan.dataset(),
            Optional.of(DatasetFingerprint.of(plan.dataset())),
            outputs),
        device,
        Optional.of(plan.checkpointPath()));
    return run;
  }

  private static void requireNoConflicts(
      ResumeRequest request, DtqlConfig runConfig, String source) {
    List<String> conflicts = new ArrayList<>();
    request
        .preset()
        .filter(preset -> !preset.equals(runConfig.preset()))
        .ifPresent(
            preset ->
                conflicts.add(
                    "--preset " + preset + " (the run's preset is " + runConfig.preset() + ")"));
    if (request.seed().isPresent() && request.seed().getAsLong() != runConfig.seed()) {
      conflicts.add(
          "--seed " + request.seed().getAsLong() + " (the run's seed is " + runConfig.seed() + ")");
    }
    Map<String, Object> values = ConfigFields.values(runConfig);
    for (Map.Entry<String, String> set : request.sets().entrySet()) {
      // Parsing through the config keeps unknown names and bad values reported as usual.
      Object wanted =
          ConfigFields.values(
                  ConfigFields.withOverrides(runConfig, Map.of(set.getKey(), set.getValue())))
              .get(set.getKey());
      if (!Objects.equals(wanted, values.get(set.getKey()))) {
        conflicts.add(
            "--set "
                + set.getKey()
                + "="
                + set.getValue()
                + " (the run's "
                + set.getKey()
                + " is "
                + values.get(set.getKey())
                + (set.getKey().equals(TRAIN_STEPS) ? "; use --steps to extend a run" : "")
                + ")");
      }
    }
    if (!conflicts.isEmpty()) {
      throw new ResumeConflictException(
          "a resumed run keeps the settings recorded in "
              + source
              + "; these flags change them: "
              + String.join(", ", conflicts));
    }
  }

  private static DtqlConfig extended(ResumeRequest request, DtqlConfig runConfig, String source) {
    if (request.steps().isEmpty() || request.steps().getAsLong() == runConfig.trainSteps()) {
      return runConfig;
    }
    long steps = request.steps().getAsLong();
    if (steps < runConfig.trainSteps()) {
      throw new ResumeConflictException(
          "--steps "
              + steps
              + " is below the run's train-steps "
              + runConfig.trainSteps()
              + " (from "
              + source
              + "); a resumed run can only be extended");
    }
    if (runConfig.lrDecay() && !request.force()) {
      throw new ResumeConflictException(
          "--steps "
              + steps
              + " extends a run with lr-decay=true: its cosine learning-rate schedules end at step "
              + runConfig.trainSteps()
              + "; extending rebuilds them over "
              + steps
              + " steps, so the learning rate jumps back up at the resumed step. Add --force to"
              + " accept that");
    }
    LOG.info("extending the run from {} to {} steps", runConfig.trainSteps(), steps);
    return ConfigFields.withOverrides(runConfig, Map.of(TRAIN_STEPS, Long.toString(steps)));
  }

  private static Path dataset(ResumeRequest request, Optional<RunRecord> record) {
    if (request.dataset().isPresent()) {
      return request.dataset().get();
    }
    return record
        .map(RunRecord::dataset)
        .orElseThrow(
            () ->
                new ResumeConflictException(
                    "--dataset is required to resume from a checkpoint outside a run directory"
                        + " (there is no config.json naming the run's dataset)"));
  }

  private static void verifyDataset(RunRecord record, Path dataset, Path run) throws IOException {
    if (!Files.exists(dataset)) {
      throw new DatasetException(
          dataset,
          "does not exist"
              + (dataset.equals(record.dataset())
                  ? " (the path recorded in the run's config.json); if the data moved, pass"
                      + " --dataset with its new location"
                  : ""));
    }
    if (record.datasetFingerprint().isEmpty()) {
      LOG.warn(
          "{} records no dataset hashes (started by an older version): {} cannot be checked"
              + " against the data the run was trained on",
          run.resolve(RunDirectory.CONFIG_FILE),
          dataset);
      return;
    }
    long start = System.nanoTime();
    DatasetFingerprint now = DatasetFingerprint.of(dataset);
    LOG.info(
        "dataset {}: {} file(s) hashed in {} ms",
        dataset,
        now.files().size(),
        (System.nanoTime() - start) / 1_000_000);
    record.datasetFingerprint().get().requireSameAs(now, dataset);
  }
}
