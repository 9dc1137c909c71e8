package io.dtql.agent.bench;

import ai.djl.engine.Engine;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.runtime.IntraOpThreads;
import io.dtql.agent.sac.ReplayBuffer;
import io.dtql.agent.sac.SacAgent;
import io.dtql.agent.sac.SacConfig;
import io.dtql.agent.train.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SAC learner throughput: gradient updates per second at batch 256 with 256x256 networks, at hopper
 * sizes (11, 3) and walker2d/halfcheetah sizes (17, 6), batches sampled from a replay buffer of
 * random transitions as the online loop does; and the time of one exploration action.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -cp <classpath> io.dtql.agent.bench.SacBenchmark
 * [threads=1|2|auto] [seconds-per-case=10]} (scripts/bench-sac.sh runs it).
 */
public final class SacBenchmark {
  private SacBenchmark() {}

  public static void main(String[] args) {
    String threadArg = args.length > 0 ? args[0] : "1";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    System.setProperty("ai.djl.offline", "true");
    int threads;
    if (threadArg.equals("auto")) {
      threads = IntraOpThreads.configure().threads();
    } else {
      threads = Integer.parseInt(threadArg);
      System.setProperty(IntraOpThreads.THREADS_PROPERTY, Integer.toString(threads));
      System.setProperty(IntraOpThreads.INTEROP_PROPERTY, "1");
    }
    Engine.getEngine("PyTorch");
    List<String> rows = new ArrayList<>();
    rows.add(String.format("%-40s %10d", "intra-op threads", threads));
    for (int[] dims : new int[][] {{11, 3}, {17, 6}}) {
      ProblemShape shape = new ProblemShape(dims[0], dims[1], 1f);
      try (SacAgent agent = SacAgent.create(SacConfig.defaults(0), shape)) {
        ReplayBuffer replay = randomReplay(shape, 100_000);
        SplitMix64 sampler = SplitMix64.forSeed(1);
        double rate = updatesPerSecond(agent, replay, sampler, seconds);
        rows.add(
            String.format(
                "%-40s %10.1f updates/s",
                "update, obs " + dims[0] + " act " + dims[1] + " batch 256", rate));
        float[] state = new float[dims[0]];
        SplittableRandom rng = new SplittableRandom(2);
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 2e9) {
          agent.act(state, 1, rng);
          n++;
        }
        rows.add(
            String.format(
                "%-40s %10.3f ms",
                "act, one state, obs " + dims[0], (System.nanoTime() - start) / 1e6 / n));
      }
    }
    rows.forEach(System.out::println);
  }

  static ReplayBuffer randomReplay(ProblemShape shape, int rows) {
    SplittableRandom rng = new SplittableRandom(0);
    ReplayBuffer replay = new ReplayBuffer(shape.obsDim(), shape.actDim(), rows);
    float[] s = new float[shape.obsDim()];
    float[] a = new float[shape.actDim()];
    float[] s2 = new float[shape.obsDim()];
    for (int i = 0; i < rows; i++) {
      fill(rng, s);
      fill(rng, a);
      fill(rng, s2);
      replay.add(s, 0, a, 0, (float) rng.nextGaussian(), s2, 0, rng.nextInt(100) == 0);
    }
    return replay;
  }

  private static void fill(SplittableRandom rng, float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
  }

  private static double updatesPerSecond(
      SacAgent agent, ReplayBuffer replay, SplitMix64 sampler, double seconds) {
    for (int i = 0; i < 50; i++) {
      agent.update(replay.sample(256, sampler)); // warm-up
    }
    long n = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1e9) {
      Batch batch = replay.sample(256, sampler);
      agent.update(batch);
      n++;
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }
}
