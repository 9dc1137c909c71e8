package io.dtql.cli;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.RandomPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** Which policy acts: a trained DTQL checkpoint, or (the default) a seeded random policy. */
final class PolicyOptions {
  @Option(
      names = "--checkpoint",
      paramLabel = "PATH",
      description = "Checkpoint file or run directory of a trained agent. Default: random policy.")
  Path checkpoint;

  @Option(
      names = "--selection",
      paramLabel = "MODE",
      description =
          "How the agent picks actions: reference (${DEFAULT-VALUE}: N candidates scored by the"
              + " target critic) or deterministic (the policy's mean).",
      defaultValue = "reference")
  String selection = "reference";

  /** The policy to build once a task's spec is known. Reads the checkpoint now, once. */
  Function<TaskSpec, Policy> policyFor(long seed) {
    SelectionMode mode = selectionMode();
    if (checkpoint == null) {
      return task -> new RandomPolicy(task.action().low(), task.action().high(), seed);
    }
    CheckpointFile saved = DtqlPolicy.readCheckpoint(checkpoint);
    return task -> DtqlPolicy.restore(saved, task, mode);
  }

  /** The tasks given, else the checkpoint's preset task, else {@code fallback}. */
  List<String> tasksOr(List<String> tasks, String fallback) {
    if (tasks != null && !tasks.isEmpty()) {
      return tasks;
    }
    if (checkpoint == null) {
      return List.of(fallback);
    }
    String preset = DtqlPolicy.readCheckpoint(checkpoint).config().preset();
    PresetRegistry presets = PresetRegistry.bundled();
    if (!presets.names().contains(preset)) {
      throw new IllegalArgumentException(
          "checkpoint was trained with preset '" + preset + "', which names no task; pass --task");
    }
    return List.of(presets.load(preset).task());
  }

  private SelectionMode selectionMode() {
    try {
      return SelectionMode.valueOf(selection.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --selection '" + selection + "'; valid: reference, deterministic");
    }
  }
}
