package io.dtql.cli;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.NotFoundException;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.RandomPolicy;
import io.dtql.evaluator.TaskMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which policy acts: a trained DTQL checkpoint, or (the default) a seeded random policy. */
final class PolicyOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--checkpoint",
      paramLabel = "PATH",
      split = ",",
      description =
          "Checkpoint file or run directory of a trained agent (evaluate: several, e.g. one per"
              + " training seed, are summarised by their interquartile mean). Default: random"
              + " policy.")
  List<Path> checkpoints = new ArrayList<>();

  @Option(
      names = "--selection",
      paramLabel = "MODE",
      description =
          "How the agent picks actions: reference (${DEFAULT-VALUE}: N candidates scored by the"
              + " target critic) or deterministic (the policy's mean).",
      defaultValue = "reference")
  String selection = "reference";

  /** Each checkpoint, read once. */
  private final Map<Path, CheckpointFile> saved = new HashMap<>();

  /** The one checkpoint given, or null for the random policy; several are a usage error here. */
  Path checkpoint() {
    Usage.require(
        checkpoints.size() <= 1,
        command,
        "--checkpoint takes one checkpoint for this command, got " + checkpoints.size());
    return checkpoints.isEmpty() ? null : checkpoints.get(0);
  }

  /** A random policy within each task's action bounds (seeded by each episode's stream). */
  static Function<TaskSpec, Policy> random() {
    return task -> new RandomPolicy(task.action().low(), task.action().high());
  }

  /** The policy to build once a task's spec is known. Reads the checkpoint now, once. */
  Function<TaskSpec, Policy> policyFor() {
    return policyFor(checkpoint());
  }

  /** The policy of {@code checkpoint} (null: the random policy), read now, once. */
  Function<TaskSpec, Policy> policyFor(Path checkpoint) {
    SelectionMode mode = selectionMode();
    if (checkpoint == null) {
      return random();
    }
    CheckpointFile file = checkpointFile(checkpoint);
    return task -> DtqlPolicy.restore(file, task, mode);
  }

  /** The checkpoint read from {@code path} (read once). */
  CheckpointFile checkpointFile(Path path) {
    CheckpointFile file = saved.get(path);
    if (file == null) {
      Usage.require(
          Files.exists(path),
          command,
          "--checkpoint " + path + ": no such checkpoint file or run directory");
      file = DtqlPolicy.readCheckpoint(path);
      saved.put(path, file);
    }
    return file;
  }

  /**
   * A short label of a checkpoint: its run directory's name (for RUN or RUN/checkpoints/FILE), else
   * the file name.
   */
  static String runLabel(Path checkpoint) {
    Path p = checkpoint.toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      return p.getFileName().toString().equals("checkpoints")
          ? p.getParent().getFileName().toString()
          : p.getFileName().toString();
    }
    Path dir = p.getParent();
    if (dir != null
        && dir.getFileName().toString().equals("checkpoints")
        && dir.getParent() != null) {
      return dir.getParent().getFileName().toString();
    }
    return p.getFileName().toString();
  }

  /** The selection mode's name as given, for reports. */
  String selection() {
    return selectionMode().name().toLowerCase(Locale.ROOT);
  }

  /** The tasks given, else the checkpoint's preset task, else {@code fallback}. */
  List<String> tasksOr(List<String> tasks, String fallback) {
    if (tasks != null && !tasks.isEmpty()) {
      return tasks;
    }
    if (checkpoints.isEmpty()) {
      return List.of(fallback);
    }
    String preset = checkpointFile(checkpoints.get(0)).config().preset();
    PresetRegistry presets = PresetRegistry.bundled();
    if (!presets.names().contains(preset)) {
      throw Usage.error(
          command,
          "checkpoint was trained with preset '" + preset + "', which names no task; pass --task");
    }
    return List.of(presets.load(preset).task());
  }

  /**
   * Asks the simulator for each task's spec and refuses, before any rollout, a task it does not
   * host or whose observation or action size differs from the checkpoint's: both are usage errors.
   */
  void requireTasksFit(EnvClient client, List<String> taskIds) {
    for (String taskId : taskIds) {
      TaskSpec spec;
      try {
        spec = client.describeTask(taskId);
      } catch (NotFoundException e) {
        throw Usage.error(
            command,
            "--task " + taskId + ": the simulator hosts no such task (" + e.getMessage() + ")");
      }
      for (Path checkpoint : checkpoints) {
        try {
          DtqlPolicy.requireFits(checkpointFile(checkpoint), spec);
        } catch (TaskMismatchException e) {
          throw Usage.error(command, "--task " + taskId + ": " + e.getMessage());
        }
      }
    }
  }

  private SelectionMode selectionMode() {
    try {
      return SelectionMode.valueOf(selection.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Usage.error(
          command, "unknown --selection '" + selection + "'; valid: reference, deterministic");
    }
  }
}
