package io.dtql.evaluator.collect;

import io.dtql.agent.data.D4rlData;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.evaluator.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Records a policy's experience on a remote vector environment in D4RL's layout: row i holds the
 * observation before step i, its action and reward, {@code terminals[i]} when the step ended the
 * episode in an MDP terminal state and {@code timeouts[i]} when it was cut (time limit or unstable
 * physics). Rows of one episode are contiguous, since D4RL readers take obs[i + 1] as the next
 * state of row i; each environment's episode is buffered and appended whole when it ends. Episodes
 * still running when enough rows are collected are appended with a timeout on their last row, so no
 * transition crosses into another episode.
 */
public final class DatasetCollector {
  private DatasetCollector() {}

  /** A collected dataset and the name of the policy that acted. */
  public record Collected(D4rlData data, String policyName) {}

  /**
   * Opens a session of {@code task}, builds the policy for its spec, collects at least {@code
   * minRows} rows and closes both.
   */
  public static Collected collect(
      EnvClient client,
      String task,
      SessionOptions session,
      Function<TaskSpec, Policy> policyFor,
      int minRows,
      IntConsumer onRows) {
    try (VectorEnv env = client.createSession(task, session);
        Policy policy = policyFor.apply(env.spec())) {
      return new Collected(collect(env, policy, minRows, onRows), policy.name());
    }
  }

  /**
   * Collects at least {@code minRows} rows.
   *
   * @param onRows called with the number of rows appended, for progress reporting
   */
  public static D4rlData collect(VectorEnv env, Policy policy, int minRows, IntConsumer onRows) {
    if (minRows <= 1) {
      throw new IllegalArgumentException("rows must be > 1, got " + minRows);
    }
    int numEnvs = env.numEnvs();
    int obsDim = env.spec().obsDim();
    int actDim = env.spec().actDim();
    RowBuffer[] running = new RowBuffer[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      running[i] = new RowBuffer(obsDim, actDim, 64);
    }
    RowBuffer dataset = new RowBuffer(obsDim, actDim, minRows + minRows / 4);
    double[] observations = new double[numEnvs * obsDim];
    int[] all = new int[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      all[i] = i;
    }
    env.reset(all, null).copyObservationsTo(observations);

    while (dataset.size() + bufferedRows(running) < minRows) {
      float[] actions = policy.act(observations, numEnvs);
      StepResult step = env.step(all, actions);
      List<Integer> ended = new ArrayList<>();
      for (int j = 0; j < numEnvs; j++) {
        int id = step.envIds()[j];
        boolean terminal = step.terminated()[j];
        boolean cut = step.truncated()[j];
        running[id].add(
            observations, id * obsDim, actions, j * actDim, step.rewards()[j], terminal, cut);
        System.arraycopy(step.observations(), j * obsDim, observations, id * obsDim, obsDim);
        if (terminal || cut) {
          onRows.accept(running[id].size());
          dataset.addAll(running[id]);
          running[id].clear();
          ended.add(id);
        }
      }
      if (!ended.isEmpty()) {
        env.reset(ended.stream().mapToInt(Integer::intValue).toArray(), null)
            .copyObservationsTo(observations);
      }
    }
    for (RowBuffer episode : running) {
      if (episode.size() > 0) {
        episode.markLastRowTimeout();
        onRows.accept(episode.size());
        dataset.addAll(episode);
      }
    }
    return dataset.toD4rlData();
  }

  private static int bufferedRows(RowBuffer[] running) {
    int rows = 0;
    for (RowBuffer episode : running) {
      rows += episode.size();
    }
    return rows;
  }
}
