package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.sac.SacCheckpoint;
import io.dtql.evaluator.collect.BehaviourCatalog;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour-data pipeline through the command line against the real Python server: a short SAC
 * run (interrupted by its step budget, then resumed and extended), its snapshots exported as
 * medium, expert and the medium-replay schedule, every dataset kind collected from them, the same
 * collection twice giving the same bytes, and DTQL training on the result.
 */
@Tag("e2e")
class BehaviourPipelineE2ETest {
  private static final String[] SMALL_SAC = {
    "--random-steps=300",
    "--eval-every=300",
    "--eval-episodes=2",
    "--checkpoint-every=300",
    "--set=hidden-dim=32",
    "--set=batch-size=32",
    "--progress=none"
  };

  @Test
  void sacThenBehaviourCatalogThenEveryDatasetKind(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("sac");
    String[] first =
        CliRun.concat(
            new String[] {"sac", "--task=hopper", "--run-dir=" + run, "--env-steps=600"},
            SMALL_SAC);
    CliRun started = CliRun.of(first);
    assertEquals(0, started.exitCode(), started.toString());
    assertTrue(started.out().contains("finished at 600 environment steps"), started.out());

    CliRun resumed =
        CliRun.of(
            "sac",
            "--resume=" + run,
            "--env-steps=900",
            "--eval-every=300",
            "--eval-episodes=2",
            "--progress=none");
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(
        resumed.out().contains("finished at 900 environment steps (600 updates)"), resumed.out());
    SacCheckpoint last = SacCheckpoint.read(run.resolve("checkpoints/step-000000900.ckpt"));
    assertEquals(900, last.loopCounter("replay_rows"));
    assertEquals(600, last.step());
    // A row every 1000 steps and one where each call ended: 600, then 900 after the resume.
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, rows.size(), rows.toString());
    assertTrue(rows.get(1).contains("\"step\":900"), rows.get(1));
    for (int step : new int[] {300, 600, 900}) {
      Path snapshot = run.resolve(String.format("snapshots/step-%09d.policy", step));
      BehaviourPolicyFile file = BehaviourPolicyFile.read(snapshot);
      assertEquals(step, file.metadata().get("env_steps").getAsLong());
      assertTrue(file.metadata().has("eval_return_mean"));
    }

    Path catalog = dir.resolve("policies");
    assertEquals(
        0,
        CliRun.of(
                "behaviour",
                "export",
                "--snapshot=" + run.resolve("snapshots/step-000000600.policy"),
                "--kind=medium",
                "--episodes=2",
                "--policies=" + catalog)
            .exitCode());
    assertEquals(
        0,
        CliRun.of(
                "behaviour",
                "export",
                "--snapshot=" + run.resolve("snapshots/step-000000900.policy"),
                "--kind=expert",
                "--episodes=2",
                "--policies=" + catalog)
            .exitCode());
    CliRun replay =
        CliRun.of(
            "behaviour",
            "export-replay",
            "--run=" + run,
            "--until=900",
            "--every=300",
            "--policies=" + catalog);
    assertEquals(0, replay.exitCode(), replay.toString());
    assertTrue(replay.out().contains("300 random rows then 2 snapshots"), replay.out());
    JsonObject manifest =
        JsonParser.parseString(Files.readString(catalog.resolve(BehaviourCatalog.MANIFEST)))
            .getAsJsonObject();
    assertEquals(3, manifest.getAsJsonArray("policies").size());

    for (String kind : List.of("random", "medium", "medium-replay", "expert", "medium-expert")) {
      Path file = dir.resolve(kind + ".hdf5");
      CliRun collect =
          CliRun.of(
              "collect",
              "--task=hopper",
              "--kind=" + kind,
              "--rows=400",
              "--num-envs=4",
              "--local-servers=2",
              "--policies=" + catalog,
              "--output=" + file);
      assertEquals(0, collect.exitCode(), collect.toString());
      Transitions t = DatasetLoader.load(file, OptionalInt.of(11), OptionalInt.of(3));
      assertTrue(t.size() >= 380 && t.size() <= 400, kind + ": " + t.size() + " transitions");
    }
    // infos/qpos and infos/qvel are the simulator state of each row's observation: Gymnasium's
    // hopper observes qpos[1:] and qvel clipped to +-10.
    try (HdfFile hdf = new HdfFile(dir.resolve("medium.hdf5"))) {
      float[][] obs = (float[][]) hdf.getDatasetByPath("observations").getData();
      double[][] qpos = (double[][]) hdf.getDatasetByPath("infos/qpos").getData();
      double[][] qvel = (double[][]) hdf.getDatasetByPath("infos/qvel").getData();
      double[] logProbs = (double[]) hdf.getDatasetByPath("infos/action_log_probs").getData();
      assertEquals(obs.length, qpos.length);
      assertEquals(obs.length, logProbs.length);
      for (int t = 0; t < obs.length; t++) {
        for (int i = 0; i < 5; i++) {
          assertEquals((float) qpos[t][i + 1], obs[t][i], "row " + t);
        }
        for (int i = 0; i < 6; i++) {
          assertEquals((float) Math.max(-10, Math.min(10, qvel[t][i])), obs[t][5 + i], "row " + t);
        }
      }
    }
    Path again = dir.resolve("medium-again.hdf5");
    assertEquals(
        0,
        CliRun.of(
                "collect",
                "--task=hopper",
                "--kind=medium",
                "--rows=400",
                "--num-envs=4",
                "--local-servers=1",
                "--policies=" + catalog,
                "--output=" + again)
            .exitCode());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("medium.hdf5")),
        Files.readAllBytes(again),
        "same command, same bytes, whether the envs run on one server or spread over two");

    CliRun refused =
        CliRun.of(
            "collect",
            "--task=hopper",
            "--kind=medium",
            "--rows=400",
            "--policies=" + catalog,
            "--output=" + again);
    refused.assertUsageError("collect", "exists; pass --overwrite");

    // A policy file that is not the one the manifest hashed is refused before any rollout.
    Files.write(
        catalog.resolve("hopper-expert.policy"),
        new byte[] {1, 2, 3},
        java.nio.file.StandardOpenOption.APPEND);
    Path broken = dir.resolve("broken.hdf5");
    CliRun tampered =
        CliRun.of(
            "collect",
            "--task=hopper",
            "--kind=expert",
            "--rows=400",
            "--policies=" + catalog,
            "--output=" + broken);
    tampered.assertFailure("is not the policy the manifest describes");
    assertFalse(Files.exists(broken));

    Path runs = dir.resolve("runs");
    assertEquals(
        0,
        DtqlCli.execute(
            "train",
            "--dataset=" + dir.resolve("medium-replay.hdf5"),
            "--preset=hopper-medium",
            "--steps=3",
            "--set=hidden-dim=32",
            "--set=batch-size=32",
            "--output-dir=" + runs,
            "--progress=none"));
  }
}
