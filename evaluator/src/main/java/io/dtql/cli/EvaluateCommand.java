package io.dtql.cli;

import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.RandomPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtql evaluate}: rollouts of a policy, reported as raw and D4RL-normalised returns. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Roll out a policy on simulator tasks and report raw and D4RL-normalised returns.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SimulatorOptions simulator;

  @Option(
      names = "--task",
      paramLabel = "ID",
      description = "Task to evaluate on (repeatable). Default: ${DEFAULT-VALUE}.",
      defaultValue = "hopper",
      split = ",")
  List<String> tasks;

  @Option(names = "--episodes", description = "Episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 10;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together per task. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 10;

  @Option(names = "--seed", description = "Base seed; env i gets seed + i. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(names = "--policy", description = "Policy to roll out: random. Default: ${DEFAULT-VALUE}.")
  String policy = "random";

  @Option(names = "--plot", paramLabel = "PNG", description = "Write a plot of episode returns.")
  Path plot;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  Path json;

  @Override
  public Integer call() {
    EvaluationOptions options = new EvaluationOptions(episodes, numEnvs, seed);
    Function<TaskSpec, Policy> policyFor = policyFactory(policy, seed);
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      List<EvaluationSummary> summaries =
          EvaluationRun.evaluateAll(sim.client(), tasks, policyFor, options);
      EvaluationRun.report(summaries, spec.commandLine().getOut(), plot, json);
    }
    return 0;
  }

  static Function<TaskSpec, Policy> policyFactory(String policy, long seed) {
    if (!policy.equals("random")) {
      throw new IllegalArgumentException("unknown --policy '" + policy + "'; valid: random");
    }
    return spec -> new RandomPolicy(spec.action().low(), spec.action().high(), seed);
  }
}
