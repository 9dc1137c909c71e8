package io.dtql.cli;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.RandomPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtql evaluate}: rollouts of a policy, reported as raw and D4RL-normalised returns. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Roll out a policy on simulator tasks and report raw and D4RL-normalised returns.",
      "The policy is a trained DTQL checkpoint (--checkpoint) or a seeded random policy."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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
  String selection;

  @Option(
      names = "--task",
      paramLabel = "ID",
      split = ",",
      description =
          "Task(s) to evaluate on. Default: the checkpoint's preset task, else hopper.")
  List<String> tasks;

  @Option(names = "--episodes", description = "Episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 10;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together per task. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 10;

  @Option(names = "--seed", description = "Base seed; env i gets seed + i. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(names = "--plot", paramLabel = "PNG", description = "Write a plot of episode returns.")
  Path plot;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  Path json;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    EvaluationOptions options = new EvaluationOptions(episodes, numEnvs, seed);
    SelectionMode mode = parseSelection(selection);
    Function<TaskSpec, Policy> policyFor;
    List<String> taskIds;
    if (checkpoint == null) {
      policyFor = randomPolicy(seed);
      taskIds = tasks != null ? tasks : List.of("hopper");
    } else {
      CheckpointFile saved = DtqlPolicy.readCheckpoint(checkpoint);
      policyFor = task -> DtqlPolicy.restore(saved, task, mode);
      taskIds = tasks != null ? tasks : List.of(presetTask(saved));
    }
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      List<EvaluationSummary> summaries =
          EvaluationRun.evaluateAll(sim.client(), taskIds, policyFor, options);
      EvaluationRun.report(summaries, spec.commandLine().getOut(), plot, json);
    }
    return 0;
  }

  static Function<TaskSpec, Policy> randomPolicy(long seed) {
    return task -> new RandomPolicy(task.action().low(), task.action().high(), seed);
  }

  private static SelectionMode parseSelection(String value) {
    try {
      return SelectionMode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --selection '" + value + "'; valid: reference, deterministic");
    }
  }

  /** The simulator task of the preset a checkpoint was trained with. */
  private static String presetTask(CheckpointFile saved) {
    String preset = saved.config().preset();
    PresetRegistry presets = PresetRegistry.bundled();
    if (!presets.names().contains(preset)) {
      throw new IllegalArgumentException(
          "checkpoint was trained with preset '" + preset + "', which names no task; pass --task");
    }
    return presets.load(preset).task();
  }
}
