package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.sac.SacCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SAC run carried to another machine with its checkpoint but not its replay log: resuming refuses
 * unless asked to refill, and a refilling resume collects the asked rows with the current policy,
 * makes no update until they are in, records the refill, and can itself be resumed.
 */
@Tag("e2e")
class SacCarriedRunE2ETest {
  private static final String[] SMALL_SAC = {
    "--random-steps=200",
    "--eval-every=100000",
    "--checkpoint-every=200",
    "--set=hidden-dim=32",
    "--set=batch-size=32",
    "--progress=none"
  };

  @Test
  void aRunWithoutItsReplayLogResumesOnlyByRefilling(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("sac");
    String[] first = {"sac", "--task=hopper", "--run-dir=" + run, "--env-steps=400"};
    CliRun started = CliRun.of(CliRun.concat(first, SMALL_SAC));
    assertEquals(0, started.exitCode(), started.toString());
    Files.delete(run.resolve("replay.log"));

    CliRun refused = CliRun.of("sac", "--resume=" + run, "--env-steps=600", "--progress=none");
    refused.assertFailure("replay.log is missing", "400 replay rows", "--refill-replay");
    assertFalse(Files.exists(run.resolve("replay.log")), "a refused resume creates no log");

    CliRun refilled =
        CliRun.of(
            "sac", "--resume=" + run, "--env-steps=600", "--refill-replay=100", "--progress=none");
    assertEquals(0, refilled.exitCode(), refilled.toString());
    // 200 updates before the move; after it, steps 401-500 refill and 501-600 update.
    assertTrue(
        refilled.out().contains("finished at 600 environment steps (300 updates)"), refilled.out());
    SacCheckpoint end = SacCheckpoint.read(run.resolve("checkpoints/step-000000600.ckpt"));
    assertEquals(200, end.loopCounter("replay_rows"), "the new log holds only the rows since");
    assertEquals(500, end.loopCounter("updates_from"));
    JsonObject json =
        JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
    JsonArray refills = json.getAsJsonArray("replay_refills");
    assertEquals(1, refills.size(), json.toString());
    JsonObject refill = refills.get(0).getAsJsonObject();
    assertEquals(400, refill.get("at_env_steps").getAsLong());
    assertEquals(400, refill.get("lost_rows").getAsLong());
    assertEquals(100, refill.get("refill_rows").getAsLong());
    assertEquals(600, json.getAsJsonObject("online").get("env_steps").getAsLong());

    CliRun continued = CliRun.of("sac", "--resume=" + run, "--env-steps=700", "--progress=none");
    assertEquals(0, continued.exitCode(), continued.toString());
    assertTrue(
        continued.out().contains("finished at 700 environment steps (400 updates)"),
        continued.out());
  }

  @Test
  void refillIsOnlyForAResume(@TempDir Path dir) {
    CliRun.of("sac", "--task=hopper", "--run-dir=" + dir.resolve("r"), "--refill-replay=10")
        .assertUsageError("sac", "--refill-replay applies to --resume");
  }
}
