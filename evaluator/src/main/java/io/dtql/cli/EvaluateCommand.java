package io.dtql.cli;

import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Policy;
import java.nio.file.Path;
import java.util.List;
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

  @Mixin PolicyOptions policy;

  @Option(
      names = "--task",
      paramLabel = "ID",
      split = ",",
      description = "Task(s) to evaluate on. Default: the checkpoint's preset task, else hopper.")
  List<String> tasks;

  @Option(names = "--episodes", description = "Episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 10;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together per task. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 10;

  @Option(
      names = "--seed",
      description = "Base seed; env i gets seed + i. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(names = "--plot", paramLabel = "PNG", description = "Write a plot of episode returns.")
  Path plot;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  Path json;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    // Everything that can be checked is checked before a server starts or an episode runs.
    Usage.require(episodes >= 1, spec, "--episodes must be >= 1, got " + episodes);
    Usage.require(numEnvs >= 1, spec, "--num-envs must be >= 1, got " + numEnvs);
    Usage.requireFileTarget(spec, "--plot", plot);
    Usage.requireFileTarget(spec, "--json", json);
    EvaluationOptions options = new EvaluationOptions(episodes, numEnvs, seed);
    Function<TaskSpec, Policy> policyFor = policy.policyFor();
    List<String> taskIds = policy.tasksOr(tasks, "hopper");
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      policy.requireTasksFit(sim.client(), taskIds);
      List<EvaluationSummary> summaries =
          EvaluationRun.evaluateAll(sim.client(), taskIds, policyFor, options);
      EvaluationRun.report(summaries, spec.commandLine().getOut(), plot, json);
    }
    return 0;
  }
}
