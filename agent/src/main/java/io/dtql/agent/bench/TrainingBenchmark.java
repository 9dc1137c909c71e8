package io.dtql.agent.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.runtime.IntraOpThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of DTQL on this machine: full training steps per second (actor phase, i.e. past
 * pretraining) at hopper (11, 3, batch 256) and antmaze (29, 8, batch 2048) sizes, action-selection
 * latency for one state (1024 candidates, and the deterministic single sample), and achieved
 * GFLOP/s against a square-matmul ceiling measured in the same run.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -cp <classpath> io.dtql.agent.bench.TrainingBenchmark
 * [threads=2|auto] [seconds-per-case=10] [cases=all]}, where cases is a comma list of ceiling,
 * hopper, antmaze, selection (quick A/B runs of one case), with the classpath built by
 *
 * <pre>
 * mvn -B -q -o -pl agent -am compile
 * mvn -B -q -o -pl agent dependency:build-classpath -Dmdep.outputFile=/tmp/agent-cp.txt
 * CP=agent/target/classes:$(cat /tmp/agent-cp.txt)
 * </pre>
 *
 * The thread count must be fixed before the engine starts, so compare thread counts in separate
 * runs. On a machine shared with other busy processes, two OpenMP threads that spin at barriers
 * (the default ACTIVE wait policy) slowed training steps 5-10x here; run with {@code
 * OMP_WAIT_POLICY=PASSIVE} or one thread there.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** One row of the result table. */
  public record Row(String name, double value, String unit, String note) {}

  public static void main(String[] args) {
    for (Row r : run(args)) {
      System.out.printf("%-44s %12.3f %-10s %s%n", r.name, r.value, r.unit, r.note);
    }
  }

  public static List<Row> run(String[] args) {
    String threadArg = args.length > 0 ? args[0] : "2";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    List<String> cases =
        List.of((args.length > 2 ? args[2] : "ceiling,hopper,antmaze,selection").split(","));
    System.setProperty("ai.djl.offline", "true");
    String note = "";
    int threads;
    if (threadArg.equals("auto")) {
      // What the dtql command does: leave cores that other processes keep busy to them.
      IntraOpThreads decision = IntraOpThreads.configure();
      threads = decision.threads();
      note = "auto: " + decision.reason();
    } else {
      threads = Integer.parseInt(threadArg);
      System.setProperty(IntraOpThreads.THREADS_PROPERTY, Integer.toString(threads));
      System.setProperty(IntraOpThreads.INTEROP_PROPERTY, "1");
    }
    Engine.getEngine("PyTorch");
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("intra-op threads", threads, "", note));
    double ceiling = Double.NaN;
    if (cases.contains("ceiling")) {
      double ceiling512 = matmulGflops(512, seconds / 4);
      double ceiling1024 = matmulGflops(1024, seconds / 4);
      rows.add(new Row("matmul 512x512 ceiling", ceiling512, "GFLOP/s", ""));
      rows.add(new Row("matmul 1024x1024 ceiling", ceiling1024, "GFLOP/s", ""));
      ceiling = Math.max(ceiling512, ceiling1024);
    }
    if (cases.contains("hopper")) {
      trainingCase(rows, "hopper", new ProblemShape(11, 3, 1f), 256, seconds, ceiling);
    }
    if (cases.contains("antmaze")) {
      trainingCase(rows, "antmaze", new ProblemShape(29, 8, 1f), 2048, seconds, ceiling);
    }
    if (cases.contains("selection")) {
      selectionCase(rows, new ProblemShape(11, 3, 1f), seconds);
    }
    return rows;
  }

  private static double matmulGflops(int n, double seconds) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      int iters = 0;
      long start = System.nanoTime();
      long warm = start + (long) (0.2e9);
      while (System.nanoTime() < warm) {
        a.matMul(b).close();
      }
      start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end || iters < 3) {
        a.matMul(b).close();
        iters++;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      return 2.0 * n * n * n * iters / elapsed / 1e9;
    }
  }

  /** FLOPs of one full step: forward = 2 x MACs; a backward costs about 2 forwards. */
  static double stepFlops(Map<String, Long> macsPerRow, int batch) {
    double twin = macsPerRow.get("twin_q");
    double value = macsPerRow.get("value");
    double score = macsPerRow.get("score");
    double actor = macsPerRow.get("actor");
    double critic = 3 * twin + 3 * value + value; // Q and V trained, V(s') forward only
    double bc = 3 * score;
    // Actor trained; score net and critic frozen: forward + input-gradient pass (2 forwards).
    double actorPhase = 3 * actor + 2 * score + 2 * twin;
    return 2.0 * batch * (critic + bc + actorPhase);
  }

  private static void trainingCase(
      List<Row> rows, String name, ProblemShape shape, int batch, double seconds, double ceiling) {
    DtqlConfig config =
        new DtqlConfig(
            name,
            0,
            256,
            batch,
            3e-4,
            3e-4,
            false,
            1_000_000,
            0,
            1.0,
            name.equals("antmaze") ? 1.0 : 0.0,
            0.99,
            0.7,
            0.005,
            0.0,
            1024);
    List<Batch> batches = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 4; i++) {
      batches.add(SyntheticBatches.random(shape, batch, rng, 0.01));
    }
    try (DtqlAgent agent = DtqlAgent.create(config, shape)) {
      for (int i = 0; i < 3; i++) {
        agent.update(batches.get(i % batches.size()));
      }
      Map<String, Double> phaseTotals = new LinkedHashMap<>();
      int steps = 0;
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end || steps < 3) {
        Map<String, Double> m = agent.update(batches.get(steps % batches.size())).values();
        for (String k :
            List.of("timing/critic_ms", "timing/bc_ms", "timing/actor_ms", "timing/target_ms")) {
          phaseTotals.merge(k, m.get(k), Double::sum);
        }
        steps++;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double stepsPerSecond = steps / elapsed;
      double flops = stepFlops(agent.macsPerRow(), batch);
      String label = name + " (" + shape.obsDim() + "," + shape.actDim() + ") batch " + batch;
      rows.add(new Row(label + " steps/s", stepsPerSecond, "steps/s", steps + " steps"));
      rows.add(new Row(label + " FLOP/step", flops / 1e9, "GFLOP", "forward+backward count"));
      double achieved = flops * stepsPerSecond / 1e9;
      rows.add(
          new Row(
              label + " achieved",
              achieved,
              "GFLOP/s",
              String.format("%.0f%% of matmul ceiling", 100 * achieved / ceiling)));
      for (Map.Entry<String, Double> e : phaseTotals.entrySet()) {
        rows.add(new Row(label + " " + e.getKey(), e.getValue() / steps, "ms/step", ""));
      }
    }
  }

  private static void selectionCase(List<Row> rows, ProblemShape shape, double seconds) {
    DtqlConfig config =
        new DtqlConfig(
            "select", 0, 256, 256, 3e-4, 3e-4, false, 1_000_000, 0, 1.0, 0.0, 0.99, 0.7, 0.005, 0.0,
            1024);
    float[] obs = new float[shape.obsDim()];
    Arrays.fill(obs, 0.1f);
    try (DtqlAgent agent = DtqlAgent.create(config, shape)) {
      for (SelectionMode mode : SelectionMode.values()) {
        for (int i = 0; i < 20; i++) {
          agent.selectActions(obs, 1, mode);
        }
        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds / 2 * 1e9);
        while (System.nanoTime() < end || times.size() < 5) {
          long t = System.nanoTime();
          agent.selectActions(obs, 1, mode);
          times.add(System.nanoTime() - t);
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        String what = mode == SelectionMode.REFERENCE ? "1024 candidates" : "one sample";
        rows.add(
            new Row(
                "select action, 1 state, " + what + " (median)",
                sorted[sorted.length / 2] / 1e6,
                "ms",
                times.size() + " calls"));
        rows.add(
            new Row(
                "select action, 1 state, " + what + " (p90)",
                sorted[(int) (sorted.length * 0.9)] / 1e6,
                "ms",
                ""));
      }
    }
  }
}
