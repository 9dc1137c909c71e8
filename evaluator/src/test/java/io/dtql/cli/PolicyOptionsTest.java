package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyOptionsTest {
  @Test
  void aCheckpointIsLabelledByItsRun(@TempDir Path dir) throws Exception {
    Path run = Files.createDirectories(dir.resolve("hopper-medium__dtql__1"));
    Path checkpoints = Files.createDirectories(run.resolve("checkpoints"));
    Path file = Files.createFile(checkpoints.resolve("step-000001000.ckpt"));
    assertEquals("hopper-medium__dtql__1", PolicyOptions.runLabel(run));
    assertEquals("hopper-medium__dtql__1", PolicyOptions.runLabel(checkpoints));
    assertEquals("hopper-medium__dtql__1", PolicyOptions.runLabel(file));
    Path loose = Files.createFile(dir.resolve("best.ckpt"));
    assertEquals("best.ckpt", PolicyOptions.runLabel(loose));
  }

  @Test
  void antmazeIsEvaluatedOverAHundredEpisodesLocomotionOverTen() {
    assertEquals(100, EvaluateCommand.defaultEpisodes(java.util.List.of("antmaze-umaze")));
    assertEquals(10, EvaluateCommand.defaultEpisodes(java.util.List.of("hopper")));
    assertEquals(10, EvaluateCommand.defaultEpisodes(java.util.List.of("antmaze-umaze", "hopper")));
  }
}
