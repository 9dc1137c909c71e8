package io.dtql.envbridge.bench;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Env steps per second through gRPC against a local Python server, next to the server's own
 * in-process figures (passed in by scripts/bench-env.sh), plus per-call latency at N = 1.
 *
 * <p>{@code EnvThroughputBenchmark [--task hopper] [--sizes 1,16,64] [--seconds 5]
 * [--warmup-seconds 1] [--jit-warmup-seconds 5] [--inprocess 1=1234.5,16=...] [--transport
 * stream|unary]}: steps go over one StepStream per session (the client's default) or as unary Step
 * calls.
 */
public final class EnvThroughputBenchmark {
  /** The bridge should keep at least this share of the in-process rate at N >= 16. */
  private static final double TARGET_RATIO = 0.60;

  private static final int ACTION_BATCHES = 64;

  /**
   * One size's figures. The CPU times per call split the cost between this JVM (encode, gRPC,
   * decode) and the server process (gRPC, servicer, physics); the rest of a call is waiting.
   */
  private record Measurement(
      int numEnvs,
      double stepsPerSecond,
      long[] callNanos,
      int calls,
      double clientCpuMicrosPerCall,
      double serverCpuMicrosPerCall) {}

  private EnvThroughputBenchmark() {}

  public static void main(String[] args) {
    String task = "hopper";
    int[] sizes = {1, 16, 64};
    double seconds = 5;
    // Per size, after a one-off JIT warm-up: on a busy 2-core machine C2 needs several seconds, and
    // without it the first size's Java CPU per call comes out several times too high.
    double warmupSeconds = 1;
    double jitWarmupSeconds = 5;
    Map<Integer, Double> inProcess = new LinkedHashMap<>();
    String transport = "stream";
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--task" -> task = value;
        case "--sizes" ->
            sizes = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
        case "--jit-warmup-seconds" -> jitWarmupSeconds = Double.parseDouble(value);
        case "--inprocess" -> inProcess = parseRates(value);
        case "--transport" -> {
          if (!value.equals("stream") && !value.equals("unary")) {
            throw new IllegalArgumentException("--transport is stream or unary, got " + value);
          }
          transport = value;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    List<Measurement> results = new ArrayList<>();
    int maxEnvs = Arrays.stream(sizes).max().orElse(1);
    try (LocalEnvServer server =
            LocalEnvServer.start(
                LaunchOptions.defaults()
                    .withServerArgs(
                        "--max-envs-per-session",
                        String.valueOf(maxEnvs),
                        "--log-level",
                        "WARNING"));
        EnvClient client =
            server.connect(ClientOptions.defaults().withStepStream(transport.equals("stream")))) {
      measure(client, server.pid(), task, maxEnvs, 0, jitWarmupSeconds);
      for (int n : sizes) {
        results.add(measure(client, server.pid(), task, n, warmupSeconds, seconds));
      }
    }
    print(task, transport, seconds, results, inProcess);
  }

  private static Measurement measure(
      EnvClient client,
      long serverPid,
      String task,
      int numEnvs,
      double warmupSeconds,
      double seconds) {
    try (VectorEnv env = client.createSession(task, SessionOptions.of(numEnvs, 0))) {
      float[][] batches = randomBatches(env.spec(), numEnvs, new Random(0));
      env.reset();
      stepFor(env, batches, warmupSeconds, new long[1 << 12]);
      long[] callNanos = new long[1 << 16];
      long clientCpuBefore = clientCpuNanos();
      long serverCpuBefore = serverCpuNanos(serverPid);
      long start = System.nanoTime();
      int calls = stepFor(env, batches, seconds, callNanos);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double clientCpu = (clientCpuNanos() - clientCpuBefore) / 1e3 / calls;
      double serverCpu = (serverCpuNanos(serverPid) - serverCpuBefore) / 1e3 / calls;
      long[] recorded = Arrays.copyOf(callNanos, Math.min(calls, callNanos.length));
      return new Measurement(
          numEnvs, calls * (double) numEnvs / elapsed, recorded, calls, clientCpu, serverCpu);
    }
  }

  /**
   * Steps for {@code seconds}; returns the number of calls. The first {@code callNanos.length} call
   * latencies are recorded into a preallocated array, so the loop allocates nothing itself.
   */
  private static int stepFor(VectorEnv env, float[][] batches, double seconds, long[] callNanos) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int calls = 0;
    for (long now = System.nanoTime(); now < end; calls++) {
      env.step(batches[calls % batches.length]);
      long after = System.nanoTime();
      if (calls < callNanos.length) {
        callNanos[calls] = after - now;
      }
      now = after;
    }
    return calls;
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long serverCpuNanos(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElse(0L);
  }

  private static float[][] randomBatches(TaskSpec spec, int numEnvs, Random random) {
    double[] low = spec.action().low();
    double[] high = spec.action().high();
    float[][] batches = new float[ACTION_BATCHES][numEnvs * low.length];
    for (float[] batch : batches) {
      for (int j = 0; j < batch.length; j++) {
        int d = j % low.length;
        batch[j] = (float) (low[d] + random.nextDouble() * (high[d] - low[d]));
      }
    }
    return batches;
  }

  private static Map<Integer, Double> parseRates(String value) {
    Map<Integer, Double> rates = new LinkedHashMap<>();
    if (value.isBlank()) {
      return rates;
    }
    for (String pair : value.split(",")) {
      String[] parts = pair.split("=");
      if (parts.length != 2) {
        throw new IllegalArgumentException("--inprocess wants N=rate pairs, got '" + pair + "'");
      }
      rates.put(Integer.parseInt(parts[0].trim()), Double.parseDouble(parts[1].trim()));
    }
    return rates;
  }

  private static void print(
      String task,
      String transport,
      double seconds,
      List<Measurement> results,
      Map<Integer, Double> inProcess) {
    System.out.printf(
        Locale.ROOT,
        "task %s, steps as %s, %.1f s per size, random in-bounds actions%n",
        task,
        transport.equals("stream") ? "one StepStream" : "unary Step calls",
        seconds);
    System.out.printf(
        Locale.ROOT,
        "%6s %20s %16s %8s %18s %18s%n",
        "N",
        "in-process steps/s",
        "gRPC steps/s",
        "ratio",
        "Java CPU us/call",
        "server CPU us/call");
    for (Measurement m : results) {
      Double local = inProcess.get(m.numEnvs());
      String ratio =
          local == null
              ? "n/a"
              : String.format(Locale.ROOT, "%.0f%%", 100 * m.stepsPerSecond() / local);
      String flag =
          local != null && m.numEnvs() >= 16 && m.stepsPerSecond() / local < TARGET_RATIO
              ? "  (below the 60% target)"
              : "";
      System.out.printf(
          Locale.ROOT,
          "%6d %20s %16.0f %8s %18.0f %18.0f%s%n",
          m.numEnvs(),
          local == null ? "n/a" : String.format(Locale.ROOT, "%.0f", local),
          m.stepsPerSecond(),
          ratio,
          m.clientCpuMicrosPerCall(),
          m.serverCpuMicrosPerCall(),
          flag);
    }
    results.stream()
        .filter(m -> m.numEnvs() == 1)
        .findFirst()
        .ifPresent(
            m -> {
              long[] sorted = m.callNanos().clone();
              Arrays.sort(sorted);
              System.out.printf(
                  Locale.ROOT,
                  "latency per Step call at N=1: p50 %.3f ms, p99 %.3f ms (%d calls)%n",
                  percentile(sorted, 0.50) / 1e6,
                  percentile(sorted, 0.99) / 1e6,
                  m.calls());
            });
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }
}
