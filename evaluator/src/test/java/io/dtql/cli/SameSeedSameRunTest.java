package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.data.RandomD4rlFile;
import io.dtql.agent.dtql.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's reproducibility promise: the same {@code dtql train} command with the same seed, on
 * the same machine with the same thread count, gives bit-identical metrics and parameters. Two
 * separate JVMs run it, one of them with the garbage collector and the native allocator kept busy
 * (see {@link TrainingChildProcess}), which is how a native buffer freed too early used to make the
 * actor's metrics differ between runs.
 */
class SameSeedSameRunTest {
  private static final int ROWS = 400;
  private static final int OBS = 11;
  private static final int ACT = 3;

  @TempDir Path dir;

  @Test
  void twoProcessesWithTheSameSeedTrainBitIdentically() throws Exception {
    Path dataset = writeDataset();
    Path quiet = train(dataset, dir.resolve("quiet"), false);
    Path churned = train(dataset, dir.resolve("churned"), true);

    List<Map<String, String>> quietRows = deterministicMetrics(quiet);
    List<Map<String, String>> churnedRows = deterministicMetrics(churned);
    assertEquals(16, quietRows.size(), "one row every 10 of 160 steps");
    assertTrue(quietRows.get(quietRows.size() - 1).containsKey("losses/trust_region"));
    for (int i = 0; i < quietRows.size(); i++) {
      assertEquals(quietRows.get(i), churnedRows.get(i), "metrics row " + i);
    }

    Map<String, TensorData> a = finalTensors(quiet);
    Map<String, TensorData> b = finalTensors(churned);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).data(), b.get(name).data(), name); // bit for bit
    }
  }

  private Path writeDataset() throws IOException {
    return RandomD4rlFile.write(dir.resolve("hopper-medium-v2.hdf5"), ROWS, OBS, ACT, 5, 83, 100);
  }

  /** Runs dtql train in a child JVM with this JVM's class path and thread settings. */
  private static Path train(Path dataset, Path output, boolean churn) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-Dai.djl.offline=true");
    for (String property :
        List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
      command.add("-D" + property + "=" + System.getProperty(property, "1"));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainingChildProcess.class.getName());
    if (churn) {
      command.add("--churn");
    }
    command.addAll(
        List.of(
            "--dataset",
            dataset.toString(),
            "--preset",
            "hopper-medium",
            "--steps",
            "120",
            "--set",
            "pretrain-steps=40",
            "--set",
            "hidden-dim=32",
            "--set",
            "batch-size=32",
            "--seed",
            "3",
            "--output-dir",
            output.toString(),
            "--device",
            "cpu",
            "--log-every",
            "10",
            "--checkpoint-every",
            "0",
            "--no-progress"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.resolveSibling(output.getFileName() + ".log").toFile())
            .start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "child training did not finish in time");
    assertEquals(
        0,
        process.exitValue(),
        () -> readQuietly(output.resolveSibling(output.getFileName() + ".log")));
    try (Stream<Path> runs = Files.list(output)) {
      return runs.findFirst().orElseThrow();
    }
  }

  /** Every metrics row without its clock readings (timings, rates, wall time). */
  private static List<Map<String, String>> deterministicMetrics(Path run) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonObject row = JsonParser.parseString(line).getAsJsonObject();
      Map<String, String> kept = new java.util.TreeMap<>();
      for (String key : row.keySet()) {
        boolean clock = key.startsWith("timing/") || key.contains("per_s") || key.contains("time");
        if (!clock) {
          kept.put(key, row.get(key).toString());
        }
      }
      rows.add(kept);
    }
    return rows;
  }

  private static Map<String, TensorData> finalTensors(Path run) throws IOException {
    try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
      Path last =
          files
              .filter(p -> p.getFileName().toString().endsWith(".ckpt"))
              .max(Path::compareTo)
              .orElseThrow();
      return CheckpointFile.read(last).agentState().tensors();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
