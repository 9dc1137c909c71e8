package io.dtql.cli;

import io.dtql.agent.io.Closeables;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.D4rlScores;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.ScoreThreshold;
import io.dtql.evaluator.report.EvaluationMarkdown;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import io.dtql.evaluator.stats.AggregateScores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
      "The policy is a trained DTQL checkpoint (--checkpoint) or a random policy. Episode i is"
          + " seeded --seed + i, so any episode can be replayed alone; results do not depend on"
          + " --num-envs or on how many servers run them. Exit 1 when --min-score is not reached."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PolicyOptions policy;

  @Mixin RolloutOptions rollout;

  @Option(
      names = "--episodes",
      description =
          "Episodes per task. Default: 10, or 100 when every task is an antmaze (D4RL's protocol:"
              + " the score is the success rate).")
  Integer episodes;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together per server session. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 10;

  @Option(
      names = "--local-servers",
      paramLabel = "N",
      description =
          "Local servers to start when no --target is given (each restarted if it dies)."
              + " Default: ${DEFAULT-VALUE}.")
  int localServers = 1;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write report.md, returns.png and summary.json into this directory.")
  Path reportDir;

  @Option(names = "--plot", paramLabel = "PNG", description = "Write a plot of episode returns.")
  Path plot;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
  Path json;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    // Everything that can be checked is checked before a server starts or an episode runs.
    Usage.require(
        episodes == null || episodes >= 1, spec, "--episodes must be >= 1, got " + episodes);
    Usage.require(numEnvs >= 1, spec, "--num-envs must be >= 1, got " + numEnvs);
    Usage.require(localServers >= 1, spec, "--local-servers must be >= 1, got " + localServers);
    Usage.requireFileTarget(spec, "--plot", plot);
    Usage.requireFileTarget(spec, "--json", json);
    List<String> taskIds = rollout.taskIds(policy);
    int episodes = this.episodes != null ? this.episodes : defaultEpisodes(taskIds);
    Optional<ScoreThreshold> threshold = rollout.threshold(taskIds);
    policy.selection(); // an unknown mode is a usage error now, not after servers start
    policy.checkpoints.forEach(policy::checkpointFile); // read (and check) each one now
    EvaluationOptions options = new EvaluationOptions(episodes, numEnvs, rollout.seed);
    List<Path> checkpoints =
        policy.checkpoints.isEmpty() ? Arrays.asList((Path) null) : policy.checkpoints;
    PrintWriter out = spec.commandLine().getOut();
    List<SimulatorEndpoint> endpoints = simulator.endpoints(localServers);
    try {
      policy.requireTasksFit(endpoints.get(0).client(), taskIds);
      List<EvaluationSummary> summaries = new ArrayList<>();
      for (Path checkpoint : checkpoints) {
        Function<TaskSpec, Policy> policyFor = policy.policyFor(checkpoint);
        if (checkpoints.size() > 1) { // tell the runs apart: "dtql@1000000 (hopper-medium__s1)"
          String run = PolicyOptions.runLabel(checkpoint);
          Function<TaskSpec, Policy> plain = policyFor;
          policyFor =
              task -> {
                Policy p = plain.apply(task);
                return p.named(p.name() + " (" + run + ")");
              };
        }
        summaries.addAll(EvaluationRun.evaluateAll(endpoints, taskIds, policyFor, options));
      }
      Optional<AggregateScores> aggregate = AggregateScores.of(summaries);
      EvaluationRun.report(summaries, out, plot, json);
      aggregate.ifPresent(a -> out.print(aggregateLines(a)));
      if (reportDir != null) {
        List<TaskSpec> specs =
            taskIds.stream().map(t -> endpoints.get(0).client().describeTask(t)).toList();
        Path report =
            EvaluationMarkdown.write(
                reportDir,
                summaries,
                aggregate,
                EvaluationProvenance.of(policy, checkpoints, options, specs, endpoints));
        out.println("report: " + report);
      }
      out.flush();
      return threshold.map(t -> gate(t, summaries, out)).orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the report: " + e.getMessage(), e);
    } finally {
      Closeables.closeAll(endpoints);
    }
  }

  /** D4RL's protocol: 100 episodes for antmaze (a success rate), 10 for locomotion. */
  static int defaultEpisodes(List<String> tasks) {
    boolean allAntmaze =
        tasks.stream().allMatch(t -> D4rlScores.family(t).filter("antmaze"::equals).isPresent());
    return allAntmaze ? 100 : 10;
  }

  private static int gate(ScoreThreshold threshold, List<EvaluationSummary> s, PrintWriter out) {
    ScoreThreshold.Verdict verdict = threshold.judge(s);
    out.println((verdict.passed() ? "min-score PASS: " : "min-score FAIL: ") + verdict.line());
    out.flush();
    return verdict.passed() ? 0 : CliErrors.EXIT_FAILURE;
  }

  private static String aggregateLines(AggregateScores a) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "IQM of %d runs' mean D4RL scores [95%% stratified bootstrap CI]%n",
                a.runs()));
    a.perTask()
        .forEach(
            (task, ci) ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "  %-14s %.1f [%.1f, %.1f]%n",
                        task,
                        ci.estimate(),
                        ci.low(),
                        ci.high())));
    a.overall()
        .ifPresent(
            ci ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "  %-14s %.1f [%.1f, %.1f]%n",
                        "all tasks",
                        ci.estimate(),
                        ci.low(),
                        ci.high())));
    return sb.toString();
  }
}
