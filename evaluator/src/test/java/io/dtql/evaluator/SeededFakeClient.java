package io.dtql.evaluator;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulator for evaluator tests whose episodes depend only on the reset seed and the actions: an
 * episode reset with seed s lasts 2 + s % 4 steps and each step pays action[0] + s / 100. A
 * policy's per-episode randomness therefore shows in the returns, and a test can compare
 * evaluations run with different layouts. {@link #dieAfterSteps} makes the server "die": every call
 * after that many Step calls fails as a dead server's does.
 */
final class SeededFakeClient implements EnvClient {
  private final int maxEnvsPerSession;
  private final AtomicInteger stepCalls = new AtomicInteger();
  private volatile int dieAfterSteps = Integer.MAX_VALUE;
  final AtomicInteger sessions = new AtomicInteger();

  SeededFakeClient(int maxEnvsPerSession) {
    this.maxEnvsPerSession = maxEnvsPerSession;
  }

  SeededFakeClient dieAfterSteps(int steps) {
    this.dieAfterSteps = steps;
    return this;
  }

  private void failIfDead() {
    if (stepCalls.get() >= dieAfterSteps) {
      throw new EnvUnavailableException("Step failed with UNAVAILABLE: server exited", null);
    }
  }

  @Override
  public ServerInfo serverInfo() {
    return new ServerInfo(1, 0, "fake", List.of(), 8, maxEnvsPerSession, 1 << 20, 300);
  }

  @Override
  public List<TaskSpec> listTasks() {
    return List.of(FakeVectorEnv.spec("hopper"));
  }

  @Override
  public TaskSpec describeTask(String taskId) {
    failIfDead();
    return FakeVectorEnv.spec(taskId);
  }

  @Override
  public VectorEnv createSession(String taskId, SessionOptions options) {
    failIfDead();
    sessions.incrementAndGet();
    return new Session(taskId, options.numEnvs());
  }

  @Override
  public void close() {}

  private final class Session implements VectorEnv {
    private final String taskId;
    private final long[] seeds;
    private final int[] steps;

    Session(String taskId, int numEnvs) {
      this.taskId = taskId;
      this.seeds = new long[numEnvs];
      this.steps = new int[numEnvs];
    }

    @Override
    public TaskSpec spec() {
      return FakeVectorEnv.spec(taskId);
    }

    @Override
    public int numEnvs() {
      return seeds.length;
    }

    @Override
    public long[] envSeeds() {
      return seeds.clone();
    }

    @Override
    public String sessionId() {
      return "seeded";
    }

    @Override
    public ResetResult reset() {
      throw new UnsupportedOperationException("the runner resets with explicit seeds");
    }

    @Override
    public ResetResult reset(int[] envIds, long[] seedsOrNull) {
      failIfDead();
      double[] obs = new double[envIds.length];
      for (int j = 0; j < envIds.length; j++) {
        seeds[envIds[j]] = seedsOrNull[j];
        steps[envIds[j]] = 0;
        obs[j] = seedsOrNull[j];
      }
      return new ResetResult(envIds.clone(), 1, obs);
    }

    @Override
    public StepResult step(float[] actions) {
      throw new UnsupportedOperationException("the runner steps subsets");
    }

    @Override
    public StepResult step(int[] envIds, float[] actions) {
      failIfDead();
      stepCalls.incrementAndGet();
      int k = envIds.length;
      double[] obs = new double[k];
      double[] rewards = new double[k];
      boolean[] terminated = new boolean[k];
      int[] episodeSteps = new int[k];
      for (int j = 0; j < k; j++) {
        int id = envIds[j];
        steps[id]++;
        obs[j] = seeds[id] + steps[id];
        rewards[j] = actions[j * 2] + seeds[id] / 100.0;
        terminated[j] = steps[id] >= 2 + seeds[id] % 4;
        episodeSteps[j] = steps[id];
      }
      EnvStatus[] status = new EnvStatus[k];
      Arrays.fill(status, EnvStatus.OK);
      return new StepResult(
          envIds.clone(),
          1,
          obs,
          rewards,
          terminated,
          new boolean[k],
          new boolean[k],
          status,
          episodeSteps);
    }

    @Override
    public void close() {}
  }
}
