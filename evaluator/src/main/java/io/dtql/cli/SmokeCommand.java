package io.dtql.cli;

import io.dtql.agent.io.Closeables;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.ScoreThreshold;
import io.dtql.evaluator.simulator.ServerFaults;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dtql smoke}: a short, bounded rollout for CI pipelines. One line on stdout says PASS or
 * FAIL and why; exit 0 only when every episode ran, no action was NaN, and (with --min-score) the
 * score reached the threshold.
 */
@Command(
    name = "smoke",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A short rollout for CI: exit 0 and one PASS line when the policy runs cleanly (and reaches"
          + " --min-score), exit 1 and one FAIL line otherwise (a failed call, a NaN action, a"
          + " low score); exit 2 on bad flags."
    })
final class SmokeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PolicyOptions policy;

  @Mixin RolloutOptions rollout;

  @Option(names = "--episodes", description = "Episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 2;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    Usage.require(episodes >= 1, spec, "--episodes must be >= 1, got " + episodes);
    List<String> taskIds = rollout.taskIds(policy);
    Optional<ScoreThreshold> threshold = rollout.threshold(taskIds);
    var policyFor = policy.policyFor();
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    List<SimulatorEndpoint> endpoints = simulator.endpoints(1);
    try {
      policy.requireTasksFit(endpoints.get(0).client(), taskIds);
      EvaluationOptions options = new EvaluationOptions(episodes, episodes, rollout.seed);
      List<EvaluationSummary> summaries = new ArrayList<>();
      for (String task : taskIds) {
        summaries.add(Evaluator.evaluate(endpoints, task, policyFor, options, e -> {}));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String scores = describe(summaries);
      if (threshold.isPresent()) {
        ScoreThreshold.Verdict verdict = threshold.get().judge(summaries);
        out.printf(
            Locale.ROOT,
            "smoke %s: %s (%.1f s)%n",
            verdict.passed() ? "PASS" : "FAIL",
            verdict.line(),
            seconds);
        out.flush();
        return verdict.passed() ? 0 : CliErrors.EXIT_FAILURE;
      }
      out.printf(Locale.ROOT, "smoke PASS: %s (%.1f s)%n", scores, seconds);
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      if (e instanceof picocli.CommandLine.ParameterException) {
        throw e;
      }
      out.printf(Locale.ROOT, "smoke FAIL: %s%n", ServerFaults.summary(e));
      out.flush();
      return CliErrors.EXIT_FAILURE;
    } finally {
      Closeables.closeAll(endpoints);
    }
  }

  private static String describe(List<EvaluationSummary> summaries) {
    List<String> parts = new ArrayList<>();
    for (EvaluationSummary s : summaries) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %s %d episodes, return %.1f%s",
              s.taskId(),
              s.policyName(),
              s.episodes().size(),
              s.meanReturn(),
              s.meanNormalized()
                  .map(n -> String.format(Locale.ROOT, ", score %.1f", n))
                  .orElse("")));
    }
    return String.join("; ", parts);
  }
}
