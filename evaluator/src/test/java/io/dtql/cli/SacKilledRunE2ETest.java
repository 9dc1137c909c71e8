package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.sac.SacCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a running `dtql sac` loses at most one checkpoint interval: the resumed run continues
 * from the last checkpoint with exactly the replay rows that checkpoint recorded (rows the killed
 * process appended later are cut off) and finishes.
 */
@Tag("e2e")
class SacKilledRunE2ETest {
  @Test
  void aKilledRunResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("sac");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    command.add("-Dai.djl.offline=true");
    command.add("-Dai.djl.pytorch.num_threads=1");
    command.add("-Dai.djl.pytorch.num_interop_threads=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DtqlCli.class.getName());
    command.addAll(
        List.of(
            "sac",
            "--task=hopper",
            "--run-dir=" + run,
            "--env-steps=100000",
            "--random-steps=200",
            "--checkpoint-every=200",
            "--eval-every=100000",
            "--set=hidden-dim=32",
            "--set=batch-size=32",
            "--progress=none"));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    Path third = run.resolve("checkpoints/step-000000600.ckpt");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(third)) {
      assertTrue(child.isAlive(), () -> "child exited: " + read(dir.resolve("child.log")));
      assertTrue(System.nanoTime() < deadline, "no checkpoint at 600 steps within 3 minutes");
      Thread.sleep(50);
    }
    Thread.sleep(300); // let it append rows past the checkpoint
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));

    Path latest =
        run.resolve("checkpoints")
            .resolve(Files.readString(run.resolve("checkpoints/latest")).strip());
    SacCheckpoint saved = SacCheckpoint.read(latest);
    long rows = saved.loopCounter("replay_rows");
    assertEquals(saved.loopCounter("env_steps"), rows);

    long target = rows + 200;
    CliRun resumed =
        CliRun.of(
            "sac",
            "--resume=" + run,
            "--env-steps=" + target,
            "--eval-every=100000",
            "--progress=none");
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(
        resumed.out().contains("finished at " + target + " environment steps"), resumed.out());
    SacCheckpoint end =
        SacCheckpoint.read(run.resolve(String.format("checkpoints/step-%09d.ckpt", target)));
    assertEquals(
        target, end.loopCounter("replay_rows"), "the killed run's extra rows were cut off");
    long recordBytes = (2 * 11 + 3 + 2) * 4L;
    assertEquals(20 + target * recordBytes, Files.size(run.resolve("replay.log")));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
