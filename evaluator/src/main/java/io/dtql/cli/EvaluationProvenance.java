package io.dtql.cli;

import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.train.RunDirectory;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.report.Provenance;
import io.dtql.evaluator.report.TrainingRun;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What produced an evaluation, for the report: policy files, settings, software, simulators. */
final class EvaluationProvenance {
  private EvaluationProvenance() {}

  static Provenance of(
      PolicyOptions policy,
      List<Path> checkpoints,
      EvaluationOptions options,
      List<TaskSpec> tasks,
      List<SimulatorEndpoint> endpoints)
      throws IOException {
    Provenance p = Provenance.empty();
    for (Path checkpoint : checkpoints) {
      if (checkpoint == null) {
        p = p.with("policy", "random (uniform in the action box)");
        continue;
      }
      Path file = CheckpointStore.resolveResumeTarget(checkpoint);
      var saved = policy.checkpointFile(checkpoint);
      // One field per checkpoint (names must differ), named by its run.
      p =
          p.with(
              "checkpoint " + PolicyOptions.runLabel(checkpoint),
              Provenance.describeFile(file)
                  + ", step "
                  + saved.step()
                  + ", preset "
                  + saved.config().preset());
      Optional<String> dataset = runDataset(file);
      if (dataset.isPresent()) {
        p = p.with("dataset of " + PolicyOptions.runLabel(checkpoint), dataset.get());
      }
    }
    p = p.with("selection", policy.selection());
    p =
        p.with(
            "episodes",
            options.episodes()
                + " per task, seeds "
                + options.seed()
                + ".."
                + (options.seed() + options.episodes() - 1)
                + ", up to "
                + options.numEnvs()
                + " envs per session");
    for (TaskSpec t : tasks) {
      p =
          p.with(
              "task " + t.taskId(),
              t.envId()
                  + " on "
                  + t.simulator()
                  + " "
                  + t.simulatorVersion()
                  + ", model sha256 "
                  + (t.modelSha256().isEmpty() ? "n/a" : t.modelSha256()));
    }
    p =
        p.with(
            "simulators",
            String.join(", ", endpoints.stream().map(SimulatorEndpoint::name).toList()));
    return p.with(Provenance.software());
  }

  /**
   * The dataset a checkpoint's run trained on, from the run's config.json (beside the checkpoint or
   * one level up, as in RUN/checkpoints/step-N.ckpt).
   */
  private static Optional<String> runDataset(Path checkpointFile) {
    Path parent = checkpointFile.toAbsolutePath().getParent();
    for (Path dir : new Path[] {parent, parent == null ? null : parent.getParent()}) {
      if (dir == null || !Files.isRegularFile(dir.resolve(RunDirectory.CONFIG_FILE))) {
        continue;
      }
      try {
        TrainingRun run = TrainingRun.read(dir);
        List<String> files = run.datasetFiles();
        return Optional.of(
            files.isEmpty() ? run.string("dataset").orElse("?") : String.join("; ", files));
      } catch (IOException | RuntimeException e) {
        return Optional.of(
            dir.resolve(RunDirectory.CONFIG_FILE) + " unreadable: " + e.getMessage());
      }
    }
    return Optional.empty();
  }
}
