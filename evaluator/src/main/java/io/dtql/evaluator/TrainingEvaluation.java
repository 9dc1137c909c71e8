package io.dtql.evaluator;

import io.dtql.agent.dtql.ActionSelector;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.train.PeriodicCallback;
import io.dtql.envbridge.EnvClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the policy of a run while it trains: at each call, rollouts of the agent as it is at
 * that step on the run's task, reported as {@code eval/*} metrics of the step's row.
 *
 * <p>Actions are chosen as {@code dtql evaluate} chooses them by default ({@link
 * SelectionMode#REFERENCE}), with random draws from {@link RandomStreams#evaluation}: a stream of
 * the run seed and the step that training never uses, so evaluating changes nothing the run learns,
 * and a resumed run evaluates exactly as an uninterrupted one would. The environments are seeded
 * the same at every evaluation (env i: run seed + {@value #ENV_SEED_OFFSET} + i, as the reference
 * seeds its evaluation env at seed + 100), so scores of different steps differ by the policy, not
 * by the start states.
 */
public final class TrainingEvaluation implements PeriodicCallback {
  static final long ENV_SEED_OFFSET = 100;
  private static final Logger LOG = LoggerFactory.getLogger(TrainingEvaluation.class);

  private final EnvClient client;
  private final String taskId;
  private final EvaluationOptions options;
  private final long runSeed;

  /**
   * @param client the simulator, open for the whole run
   * @param taskId the task the run's dataset comes from
   * @param episodes episodes per evaluation, all stepped together (one env each)
   * @param runSeed the run's seed
   */
  public TrainingEvaluation(EnvClient client, String taskId, int episodes, long runSeed) {
    this.client = client;
    this.taskId = taskId;
    this.options = new EvaluationOptions(episodes, episodes, runSeed + ENV_SEED_OFFSET);
    this.runSeed = runSeed;
  }

  @Override
  public Map<String, Double> atStep(long step, TrainableAgent agent) {
    ActionSelector selector =
        agent
            .actionSelector()
            .orElseThrow(
                () -> new IllegalStateException("the agent in training cannot act: no evaluation"));
    long start = System.nanoTime();
    EvaluationSummary summary =
        Evaluator.evaluate(
            client,
            taskId,
            task -> DtqlPolicy.borrowing(selector, task, SelectionMode.REFERENCE, step),
            options,
            episode -> {});
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "step {}: {} episodes on {}: return {} +- {}{}",
        step,
        summary.episodes().size(),
        taskId,
        String.format("%.1f", summary.meanReturn()),
        String.format("%.1f", summary.stdReturn()),
        summary.meanNormalized().map(n -> String.format(", normalised %.1f", n)).orElse(""));
    return metrics(summary, seconds);
  }

  /** The row's {@code eval/*} columns; the normalised ones only for tasks D4RL has scores for. */
  static Map<String, Double> metrics(EvaluationSummary summary, double seconds) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("eval/return_mean", summary.meanReturn());
    metrics.put("eval/return_std", summary.stdReturn());
    metrics.put("eval/return_min", summary.minReturn());
    metrics.put("eval/return_max", summary.maxReturn());
    metrics.put("eval/return_ci_low", summary.returnInterval().low());
    metrics.put("eval/return_ci_high", summary.returnInterval().high());
    metrics.put("eval/length_mean", summary.meanLength());
    summary.meanNormalized().ifPresent(n -> metrics.put("eval/normalized_mean", n));
    summary.stdNormalized().ifPresent(n -> metrics.put("eval/normalized_std", n));
    summary
        .normalizedInterval()
        .ifPresent(
            ci -> {
              metrics.put("eval/normalized_ci_low", ci.low());
              metrics.put("eval/normalized_ci_high", ci.high());
            });
    metrics.put("eval/seconds", seconds);
    return metrics;
  }
}
