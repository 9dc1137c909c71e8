package io.dtql.agent.data.bench;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.D4rlDatasetWriter;
import io.dtql.agent.data.D4rlWriteOptions;
import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.ExpectedShape;
import io.dtql.agent.data.FloatPrecision;
import io.dtql.agent.data.Transitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Times loading a synthetic hopper-sized D4RL file (default 2,000,000 rows, obs 11, act 3) in
 * float32 and float64, and reports the memory the resulting {@link Transitions} hold against their
 * raw float32 size (target ratio at most 1.3). Prints figures only; not a test.
 *
 * <p>Usage: {@code DatasetLoadBenchmark [rows] [directory]}; run with e.g. {@code -Xmx6g}.
 */
public final class DatasetLoadBenchmark {
  private static final int OBS_DIM = 11;
  private static final int ACT_DIM = 3;
  private static final int EPISODE_LENGTH = 1000;

  private DatasetLoadBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("dtql-bench-");
    try {
      run(rows, dir);
    } finally {
      if (args.length <= 1) {
        deleteRecursively(dir);
      }
    }
  }

  /** Writes both variants of the file into {@code dir}, loads each and prints the figures. */
  public static void run(int rows, Path dir) throws IOException {
    D4rlData data = synthetic(rows);
    for (FloatPrecision precision : FloatPrecision.values()) {
      Path file = dir.resolve("hopper-synthetic-" + precision.name().toLowerCase() + ".hdf5");
      long writeStart = System.nanoTime();
      D4rlDatasetWriter.write(file, data, D4rlWriteOptions.defaults().withPrecision(precision));
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

      long heapBefore = usedHeapAfterGc();
      long loadStart = System.nanoTime();
      Transitions transitions = DatasetLoader.load(file, ExpectedShape.of(OBS_DIM, ACT_DIM));
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      long heapAfter = usedHeapAfterGc();

      System.out.printf(
          "%s: rows=%d file=%.1f MB write=%.2f s load=%.2f s transitions=%d raw=%.1f MB"
              + " held=%.1f MB ratio=%.3f heap before=%.1f MB after=%.1f MB delta=%.1f MB%n",
          precision,
          rows,
          Files.size(file) / 1e6,
          writeSeconds,
          loadSeconds,
          transitions.size(),
          transitions.rawBytes() / 1e6,
          transitions.heldBytes() / 1e6,
          (double) transitions.heldBytes() / transitions.rawBytes(),
          heapBefore / 1e6,
          heapAfter / 1e6,
          (heapAfter - heapBefore) / 1e6);
      Files.delete(file);
      // Keep the transitions reachable until after the measurement above.
      if (transitions.size() < 0) {
        throw new AssertionError();
      }
    }
  }

  /** Random hopper-sized data with a timeout every 1000 rows and rare terminals. */
  private static D4rlData synthetic(int rows) {
    SplittableRandom random = new SplittableRandom(7);
    float[] obs = new float[rows * OBS_DIM];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (float) random.nextGaussian();
    }
    float[] act = new float[rows * ACT_DIM];
    for (int i = 0; i < act.length; i++) {
      act[i] = (float) random.nextDouble(-1, 1);
    }
    float[] rew = new float[rows];
    boolean[] terminals = new boolean[rows];
    boolean[] timeouts = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      rew[i] = (float) random.nextDouble(0, 4);
      terminals[i] = random.nextInt(5000) == 0;
      timeouts[i] = !terminals[i] && i % EPISODE_LENGTH == EPISODE_LENGTH - 1;
    }
    return new D4rlData(OBS_DIM, ACT_DIM, obs, act, rew, terminals, timeouts);
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
