package io.dtql.evaluator;

import io.dtql.envbridge.BoxSpec;
import io.dtql.envbridge.DType;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A scripted vector env for evaluator tests: 1-d observations count the steps of the current
 * episode, every step pays reward = (env id + 1), and env i's episodes last {@code lengths[i]}
 * steps and then terminate. Auto-resets as the contract's NEXT_STEP mode does (a step of an env
 * whose episode ended resets it instead). Records every call so tests can check what was sent.
 */
public final class FakeVectorEnv implements VectorEnv {
  final int[] lengths;
  final int[] stepInEpisode;
  final boolean[] ended;
  final List<int[]> resetCalls = new ArrayList<>();
  final List<int[]> stepCalls = new ArrayList<>();
  boolean closed;
  private int failingCall = -1;

  public FakeVectorEnv(int... lengths) {
    this.lengths = lengths;
    this.stepInEpisode = new int[lengths.length];
    this.ended = new boolean[lengths.length];
  }

  /** The env ids of every Step call so far, in order. */
  public List<int[]> stepCalls() {
    return stepCalls;
  }

  /** Makes Step call number {@code call} (0-based) fail as a dead server's call does. */
  public FakeVectorEnv failingAtStepCall(int call) {
    this.failingCall = call;
    return this;
  }

  static TaskSpec spec(String taskId) {
    BoxSpec obs =
        new BoxSpec(
            DType.FLOAT64,
            new int[] {1},
            new double[] {Double.NEGATIVE_INFINITY},
            new double[] {Double.POSITIVE_INFINITY});
    BoxSpec act =
        new BoxSpec(DType.FLOAT32, new int[] {2}, new double[] {-1, -1}, new double[] {1, 1});
    return new TaskSpec(taskId, "Fake-v0", "fake", obs, act, 100, 0.01, "none", "0", "", Map.of());
  }

  @Override
  public TaskSpec spec() {
    return spec("hopper");
  }

  @Override
  public int numEnvs() {
    return lengths.length;
  }

  @Override
  public long[] envSeeds() {
    long[] seeds = new long[lengths.length];
    Arrays.setAll(seeds, i -> 100 + i);
    return seeds;
  }

  @Override
  public String sessionId() {
    return "fake";
  }

  @Override
  public ResetResult reset() {
    int[] all = new int[lengths.length];
    Arrays.setAll(all, i -> i);
    return reset(all, null);
  }

  @Override
  public ResetResult reset(int[] envIds, long[] seeds) {
    resetCalls.add(envIds.clone());
    for (int id : envIds) {
      stepInEpisode[id] = 0;
      ended[id] = false;
    }
    return new ResetResult(envIds.clone(), 1, new double[envIds.length]);
  }

  @Override
  public StepResult step(float[] actions) {
    throw new UnsupportedOperationException("the runner steps subsets");
  }

  @Override
  public StepResult step(int[] envIds, float[] actions) {
    if (stepCalls.size() == failingCall) {
      throw new IllegalStateException("scripted failure at step call " + failingCall);
    }
    stepCalls.add(envIds.clone());
    int k = envIds.length;
    double[] obs = new double[k];
    double[] rewards = new double[k];
    boolean[] terminated = new boolean[k];
    int[] steps = new int[k];
    boolean[] resets = new boolean[k];
    for (int j = 0; j < k; j++) {
      int id = envIds[j];
      if (ended[id]) {
        stepInEpisode[id] = 0;
        ended[id] = false;
        resets[j] = true;
        continue;
      }
      stepInEpisode[id]++;
      obs[j] = stepInEpisode[id];
      rewards[j] = id + 1;
      terminated[j] = stepInEpisode[id] >= lengths[id];
      ended[id] = terminated[j];
      steps[j] = stepInEpisode[id];
    }
    EnvStatus[] status = new EnvStatus[k];
    Arrays.fill(status, EnvStatus.OK);
    return new StepResult(
        envIds.clone(), 1, obs, rewards, terminated, new boolean[k], resets, status, steps);
  }

  @Override
  public void close() {
    closed = true;
  }
}
