package io.dtql.evaluator;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Evaluates a policy on a task hosted by a simulator server, in one session. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * @param policyFor builds the policy once the task's spec is known (e.g. its action bounds); the
   *     policy is closed when the evaluation ends
   * @param onEpisode called once per finished episode
   */
  public static EvaluationSummary evaluate(
      EnvClient client,
      String taskId,
      Function<TaskSpec, Policy> policyFor,
      EvaluationOptions options,
      Consumer<EpisodeResult> onEpisode) {
    SessionOptions session = SessionOptions.of(options.effectiveNumEnvs(), options.seed());
    try (VectorEnv env = client.createSession(taskId, session);
        Policy policy = policyFor.apply(env.spec())) {
      List<EpisodeResult> episodes = RolloutRunner.run(env, policy, options.episodes(), onEpisode);
      return EvaluationSummary.of(taskId, policy.name(), episodes);
    }
  }
}
