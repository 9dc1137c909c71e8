package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.dtql.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `behaviour export` refuses a kind that does not fit the snapshot's task, before any rollout. */
class BehaviourExportTest {
  private static Path snapshot(Path dir, String task) throws Exception {
    JsonObject meta = BehaviourPolicyFile.describe(task, 2, 1, 1f);
    Path file = dir.resolve(task + ".policy");
    new BehaviourPolicyFile(
            meta,
            Map.of(
                "actor/0/weight", new TensorData(new long[] {2, 2}, new float[4]),
                "actor/0/bias", new TensorData(new long[] {2}, new float[2])))
        .write(file);
    return file;
  }

  /** {@code behaviour export} of a fresh snapshot of {@code task} as {@code kind}. */
  private static CliRun export(Path dir, String task, String kind) throws Exception {
    return CliRun.of(
        "behaviour",
        "export",
        "--snapshot=" + snapshot(dir, task),
        "--kind=" + kind,
        "--policies=" + dir.resolve("catalog"));
  }

  @Test
  void aLocomotionSnapshotIsNotAController(@TempDir Path dir) throws Exception {
    CliRun run = export(dir, "hopper", "controller");
    run.assertUsageError(
        "behaviour export", "--kind controller is for a snapshot of task ant-goal");
    assertTrue(Files.notExists(dir.resolve("catalog")));
  }

  @Test
  void anAntGoalSnapshotIsOnlyAController(@TempDir Path dir) throws Exception {
    CliRun run = export(dir, "ant-goal", "expert");
    run.assertUsageError("behaviour export", "this one is ant-goal");
  }
}
