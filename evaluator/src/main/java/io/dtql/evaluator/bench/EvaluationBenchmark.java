package io.dtql.evaluator.bench;

import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.preset.Preset;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.runtime.IntraOpThreads;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.simulator.LocalSimulator;
import io.dtql.evaluator.simulator.SimulatorEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long a hopper evaluation with 1024-candidate selection takes, and where the time goes: policy
 * inference, simulation, transport. Runs 10-episode evaluations of a hopper-medium-sized DTQL
 * policy against a local server until {@code envSteps} steps are done (an untrained policy falls
 * early, so its episodes are short; the cost per step is the same), then prints the wall time per
 * 10,000 steps, which is a 10-episode evaluation of a policy that survives all 1000 steps.
 * Transport is estimated from the round trip of small calls times the number of env calls.
 *
 * <p>Usage: {@code EvaluationBenchmark [threads=auto] [envSteps=10000] [numEnvs=10]}
 */
public final class EvaluationBenchmark {
  private EvaluationBenchmark() {}

  public static void main(String[] args) {
    String threads = args.length > 0 ? args[0] : "auto";
    long envSteps = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
    int numEnvs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (threads.equals("auto")) {
      threads = "auto: " + IntraOpThreads.configure().threads(); // what the dtql command does
    } else {
      System.setProperty(IntraOpThreads.THREADS_PROPERTY, threads);
      System.setProperty(IntraOpThreads.INTEROP_PROPERTY, "1");
    }
    Preset preset = PresetRegistry.bundled().load("hopper-medium");
    CheckpointFile checkpoint;
    try (DtqlAgent agent = DtqlAgent.create(preset.config(), preset.shape())) {
      checkpoint = new CheckpointFile(preset.config(), preset.shape(), agent.exportState(), 0);
    }
    try (LocalSimulator server = LocalSimulator.start("local server", LaunchOptions.defaults())) {
      TimedClient client = new TimedClient(server.client());
      double rtt = roundTripSeconds(server.client(), 200);
      long[] policyNanos = new long[1];
      long steps = 0;
      int episodes = 0;
      long start = System.nanoTime();
      while (steps < envSteps) {
        EvaluationSummary s =
            Evaluator.evaluate(
                List.of(SimulatorEndpoint.fixed("local server", client)),
                "hopper",
                task ->
                    timed(
                        DtqlPolicy.restore(checkpoint, task, SelectionMode.REFERENCE), policyNanos),
                new EvaluationOptions(10, numEnvs, episodes),
                e -> {});
        episodes += s.episodes().size();
        steps += s.episodes().stream().mapToLong(e -> e.length()).sum();
      }
      double wall = (System.nanoTime() - start) / 1e9;
      double policy = policyNanos[0] / 1e9;
      double env = client.nanos / 1e9;
      double transport = Math.min(env, client.calls * rtt);
      double simulation = env - transport;
      double other = Math.max(0, wall - policy - env);
      System.out.printf(
          Locale.ROOT,
          "hopper evaluation, 1024 candidates, %s intra-op threads, %d envs per session%n",
          threads,
          numEnvs);
      System.out.printf(
          Locale.ROOT,
          "  %d episodes, %d env steps in %.1f s: %.0f env steps/s; %.1f s per 10,000 steps%n",
          episodes,
          steps,
          wall,
          steps / wall,
          wall * 10_000 / steps);
      System.out.printf(
          Locale.ROOT,
          "  policy inference %.1f s (%.0f%%, %.2f ms per state)%n",
          policy,
          100 * policy / wall,
          1e3 * policy / steps);
      System.out.printf(
          Locale.ROOT,
          "  simulation %.1f s (%.0f%%), transport ~%.1f s (%.0f%%: %d calls x %.3f ms round"
              + " trip), other %.1f s (%.0f%%)%n",
          simulation,
          100 * simulation / wall,
          transport,
          100 * transport / wall,
          client.calls,
          1e3 * rtt,
          other,
          100 * other / wall);
    }
  }

  /** Mean round trip of a small unary call: the fixed cost each env call pays on the wire. */
  private static double roundTripSeconds(EnvClient client, int calls) {
    for (int i = 0; i < 20; i++) {
      client.describeTask("hopper"); // warm up the channel and the JIT
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      client.describeTask("hopper");
    }
    return (System.nanoTime() - start) / 1e9 / calls;
  }

  private static Policy timed(Policy policy, long[] nanos) {
    return new Policy() {
      @Override
      public float[] act(double[] observations, RandomGenerator[] streams) {
        long t = System.nanoTime();
        try {
          return policy.act(observations, streams);
        } finally {
          nanos[0] += System.nanoTime() - t;
        }
      }

      @Override
      public String name() {
        return policy.name();
      }

      @Override
      public void close() {
        policy.close();
      }
    };
  }

  /** A client whose sessions time every reset and step call. */
  private static final class TimedClient implements EnvClient {
    private final EnvClient inner;
    long nanos;
    long calls;

    TimedClient(EnvClient inner) {
      this.inner = inner;
    }

    @Override
    public ServerInfo serverInfo() {
      return inner.serverInfo();
    }

    @Override
    public List<TaskSpec> listTasks() {
      return inner.listTasks();
    }

    @Override
    public TaskSpec describeTask(String taskId) {
      return inner.describeTask(taskId);
    }

    @Override
    public VectorEnv createSession(String taskId, SessionOptions options) {
      VectorEnv env = inner.createSession(taskId, options);
      return new VectorEnv() {
        @Override
        public TaskSpec spec() {
          return env.spec();
        }

        @Override
        public int numEnvs() {
          return env.numEnvs();
        }

        @Override
        public long[] envSeeds() {
          return env.envSeeds();
        }

        @Override
        public String sessionId() {
          return env.sessionId();
        }

        @Override
        public ResetResult reset() {
          return env.reset();
        }

        @Override
        public ResetResult reset(int[] envIds, long[] seedsOrNull) {
          long t = System.nanoTime();
          try {
            return env.reset(envIds, seedsOrNull);
          } finally {
            nanos += System.nanoTime() - t;
            calls++;
          }
        }

        @Override
        public StepResult step(float[] actions) {
          return env.step(actions);
        }

        @Override
        public StepResult step(int[] envIds, float[] actions) {
          long t = System.nanoTime();
          try {
            return env.step(envIds, actions);
          } finally {
            nanos += System.nanoTime() - t;
            calls++;
          }
        }

        @Override
        public void close() {
          env.close();
        }
      };
    }

    @Override
    public void close() {}
  }
}
