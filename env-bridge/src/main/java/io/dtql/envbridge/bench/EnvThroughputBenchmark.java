package io.dtql.envbridge.bench;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Env steps per second through gRPC against a local Python server, each measurement paired with the
 * server's in-process rate (its VectorEnv in a plain Python loop, no gRPC) taken right before it
 * for the same N, plus per-call latency at N = 1. These 2-core machines are noisy (the same
 * in-process figure moves up to 2x between minutes), so the two sides alternate per size and round,
 * and the headline per N is the median of the paired ratios.
 *
 * <p>{@code EnvThroughputBenchmark [--task hopper] [--sizes 1,16,64] [--seconds 3] [--rounds 3]
 * [--warmup-seconds 1] [--jit-warmup-seconds 5] [--transport stream|unary] [--python PATH]
 * [--server-cpus LIST] [--no-inprocess]}: steps go over one StepStream per session (the client's
 * default) or as unary Step calls; the in-process side runs {@code PATH -m dtql_envserver.bench}
 * (default: the project's virtual environment); {@code --server-cpus} pins the server, and the
 * in-process side alike, to those CPUs (the server's {@code --cpu-affinity}; default none).
 */
public final class EnvThroughputBenchmark {
  /** The bridge should keep at least this share of the in-process rate at N >= 16. */
  private static final double TARGET_RATIO = 0.60;

  private static final int ACTION_BATCHES = 64;

  /**
   * One size's gRPC figures. The CPU times per call split the cost between this JVM (encode, gRPC,
   * decode) and the server process (gRPC, servicer, physics); the rest of a call is waiting.
   */
  private record Measurement(
      int numEnvs,
      double stepsPerSecond,
      long[] callNanos,
      int calls,
      double clientCpuMicrosPerCall,
      double serverCpuMicrosPerCall) {}

  /** A gRPC measurement and the in-process rate taken just before it (NaN when skipped). */
  private record Pair(Measurement grpc, double inProcess) {
    double ratio() {
      return grpc.stepsPerSecond() / inProcess;
    }
  }

  private EnvThroughputBenchmark() {}

  public static void main(String[] args) {
    String task = "hopper";
    int[] sizes = {1, 16, 64};
    double seconds = 3;
    int rounds = 3;
    // Per size, after a one-off JIT warm-up: on a busy 2-core machine C2 needs several seconds, and
    // without it the first size's Java CPU per call comes out several times too high.
    double warmupSeconds = 1;
    double jitWarmupSeconds = 5;
    String transport = "stream";
    Path python = null;
    String serverCpus = null;
    boolean inProcess = true;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--no-inprocess")) {
        inProcess = false;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--task" -> task = value;
        case "--sizes" ->
            sizes = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
        case "--jit-warmup-seconds" -> jitWarmupSeconds = Double.parseDouble(value);
        case "--python" -> python = Path.of(value);
        case "--server-cpus" -> serverCpus = value.equals("none") ? null : value;
        case "--transport" -> {
          if (!value.equals("stream") && !value.equals("unary")) {
            throw new IllegalArgumentException("--transport is stream or unary, got " + value);
          }
          transport = value;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + flag);
      }
    }
    InProcessRate local =
        inProcess
            ? new InProcessRate(
                python == null ? LocalEnvServer.defaultPython() : python, task, seconds, serverCpus)
            : null;
    System.out.printf(
        Locale.ROOT,
        "task %s, steps as %s, server %s, %.1f s per measurement, %d rounds, random in-bounds"
            + " actions%n",
        task,
        transport.equals("stream") ? "one StepStream per session" : "unary Step calls",
        serverCpus == null ? "not pinned" : "pinned to CPU(s) " + serverCpus,
        seconds,
        rounds);
    List<String> serverArgs =
        new ArrayList<>(
            List.of(
                "--max-envs-per-session",
                String.valueOf(maxEnvsOf(sizes)),
                "--log-level",
                "WARNING"));
    if (serverCpus != null) {
      serverArgs.addAll(List.of("--cpu-affinity", serverCpus));
    }
    Map<Integer, List<Pair>> pairs = new TreeMap<>();
    int maxEnvs = maxEnvsOf(sizes);
    try (LocalEnvServer server =
            LocalEnvServer.start(
                LaunchOptions.defaults().withServerArgs(serverArgs.toArray(String[]::new)));
        EnvClient client =
            server.connect(ClientOptions.defaults().withStepStream(transport.equals("stream")))) {
      measure(client, server.pid(), task, maxEnvs, 0, jitWarmupSeconds);
      for (int round = 1; round <= rounds; round++) {
        printHeader("round " + round + "/" + rounds);
        for (int n : sizes) {
          double rate = local == null ? Double.NaN : local.measure(n);
          Pair pair =
              new Pair(measure(client, server.pid(), task, n, warmupSeconds, seconds), rate);
          pairs.computeIfAbsent(n, k -> new ArrayList<>()).add(pair);
          printRow(pair);
        }
      }
    }
    printMedians(pairs);
    printLatency(pairs);
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

  private static int maxEnvsOf(int[] sizes) {
    return Arrays.stream(sizes).max().orElse(1);
  }

  private static void printHeader(String title) {
    System.out.printf(
        Locale.ROOT,
        "== %s%n%6s %20s %16s %8s %18s %18s%n",
        title,
        "N",
        "in-process steps/s",
        "gRPC steps/s",
        "ratio",
        "Java CPU us/call",
        "server CPU us/call");
  }

  private static void printRow(Pair pair) {
    Measurement m = pair.grpc();
    boolean paired = !Double.isNaN(pair.inProcess());
    System.out.printf(
        Locale.ROOT,
        "%6d %20s %16.0f %8s %18.0f %18.0f%n",
        m.numEnvs(),
        paired ? String.format(Locale.ROOT, "%.0f", pair.inProcess()) : "n/a",
        m.stepsPerSecond(),
        paired ? String.format(Locale.ROOT, "%.0f%%", 100 * pair.ratio()) : "n/a",
        m.clientCpuMicrosPerCall(),
        m.serverCpuMicrosPerCall());
  }

  private static void printMedians(Map<Integer, List<Pair>> pairs) {
    System.out.printf(
        Locale.ROOT,
        "== median over rounds%n%6s %20s %16s %14s  %s%n",
        "N",
        "in-process steps/s",
        "gRPC steps/s",
        "ratio median",
        "ratios");
    for (Map.Entry<Integer, List<Pair>> e : pairs.entrySet()) {
      List<Pair> list = e.getValue();
      double ratio = median(list.stream().mapToDouble(Pair::ratio).toArray());
      String flag = e.getKey() >= 16 && ratio < TARGET_RATIO ? "  (below the 60% target)" : "";
      System.out.printf(
          Locale.ROOT,
          "%6d %20.0f %16.0f %13.0f%%  %s%s%n",
          e.getKey(),
          median(list.stream().mapToDouble(Pair::inProcess).toArray()),
          median(list.stream().mapToDouble(p -> p.grpc().stepsPerSecond()).toArray()),
          100 * ratio,
          String.join(
              " ",
              list.stream()
                  .map(p -> String.format(Locale.ROOT, "%.0f%%", 100 * p.ratio()))
                  .toList()),
          flag);
    }
  }

  private static void printLatency(Map<Integer, List<Pair>> pairs) {
    List<Pair> single = pairs.get(1);
    if (single == null) {
      return;
    }
    long[] all =
        single.stream().flatMapToLong(p -> Arrays.stream(p.grpc().callNanos())).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "latency per Step call at N=1: p50 %.3f ms, p99 %.3f ms (%d calls over all rounds)%n",
        percentile(all, 0.50) / 1e6,
        percentile(all, 0.99) / 1e6,
        all.length);
  }

  /** The median; NaN when any value is NaN (a skipped in-process side). */
  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    if (n == 0 || Double.isNaN(sorted[n - 1])) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }
}
