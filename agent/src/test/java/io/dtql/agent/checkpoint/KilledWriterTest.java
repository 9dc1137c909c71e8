package io.dtql.agent.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills (SIGKILL) a process in the middle of writing checkpoints and reads what it left. */
class KilledWriterTest {
  @TempDir Path run;

  @Test
  void everyCheckpointLeftByAKilledWriterIsCompleteAndTheLatestResolves() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CheckpointWriterProcess.class.getName(),
                run.toString())
            .redirectErrorStream(true)
            .redirectOutput(run.resolveSibling(run.getFileName() + "-child.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (checkpointFiles().size() < 3 && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the writer process died on its own");
      Thread.sleep(137); // land somewhere inside a write
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    List<Path> files = checkpointFiles();
    assertTrue(files.size() >= 3, "only " + files);
    for (Path file : files) {
      CheckpointFile checkpoint = CheckpointFile.read(file); // throws if partial or corrupt
      assertEquals(file.getFileName().toString(), CheckpointStore.fileName(checkpoint.step()));
    }
    Path latest = CheckpointStore.resolveResumeTarget(run);
    long newest = files.stream().mapToLong(f -> readStep(f)).max().orElseThrow();
    assertTrue(CheckpointFile.read(latest).step() >= newest - 1, "latest lags: " + latest);
  }

  private static long readStep(Path file) {
    try {
      return CheckpointFile.read(file).step();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<Path> checkpointFiles() throws IOException {
    Path dir = run.resolve(CheckpointStore.DIRECTORY_NAME);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList();
    }
  }
}
