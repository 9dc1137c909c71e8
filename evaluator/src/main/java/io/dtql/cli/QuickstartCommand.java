package io.dtql.cli;

import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dtql quickstart}: the main job end to end on the embedded default. Starts a local
 * simulator server, rolls out a seeded random policy on hopper, walker2d and halfcheetah through
 * the bridge, and reports per-task returns with a plot.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Run the end-to-end demo: local simulator, rollouts through the gRPC bridge, report.")
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> TASKS = List.of("hopper", "walker2d", "halfcheetah");

  @Spec CommandSpec spec;

  @Mixin SimulatorOptions simulator;

  @Option(names = "--episodes", description = "Episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 4;

  @Option(names = "--seed", description = "Base seed. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(names = "--output-dir", description = "Where the report goes. Default: ${DEFAULT-VALUE}.")
  Path outputDir = Path.of("runs", "quickstart");

  @Override
  public Integer call() {
    EvaluationOptions options = new EvaluationOptions(episodes, episodes, seed);
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      List<EvaluationSummary> summaries =
          EvaluationRun.evaluateAll(
              sim.client(), TASKS, new PolicyOptions().policyFor(seed), options);
      EvaluationRun.report(
          summaries,
          spec.commandLine().getOut(),
          outputDir.resolve("returns.png"),
          outputDir.resolve("summary.json"));
    }
    return 0;
  }
}
