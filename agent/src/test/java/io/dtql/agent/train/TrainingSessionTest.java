package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSessionTest {
  private static final ProblemShape SHAPE = new ProblemShape(3, 2, 1f);
  private static final Transitions DATA = TinyData.transitions(97, 3, 2);

  @TempDir Path output;

  /** A tiny config whose run ends at {@code endStep}: 30 pretraining steps, then training. */
  private static DtqlConfig config(long endStep) {
    return ConfigFields.withOverrides(
        DtqlConfig.locomotionDefaults(),
        Map.of(
            "preset", "tiny",
            "train-steps", Long.toString(endStep - 30),
            "pretrain-steps", "30",
            "batch-size", "5",
            "seed", "3"));
  }

  private RunDirectory newRun(String name) throws IOException {
    return RunDirectory.create(
        output.resolve(name), "tiny", 3, LocalDateTime.of(2026, 1, 2, 3, 4, 5));
  }

  private static TrainingSession.Plan plan(
      DtqlConfig config,
      RunDirectory run,
      Optional<CheckpointFile> resume,
      long every,
      boolean csv) {
    return plan(config, run, resume, new OutputSettings(every, CheckpointStore.KEEP_ALL, 10, csv));
  }

  private static TrainingSession.Plan plan(
      DtqlConfig config,
      RunDirectory run,
      Optional<CheckpointFile> resume,
      OutputSettings outputs) {
    return new TrainingSession.Plan(
        config, SHAPE, DATA, run, resume, Device.cpu(), outputs, ProgressReporter.Factory.none());
  }

  @Test
  void twoHundredStepsStraightEqualHundredPlusResumeFromTheFilePlusHundred() throws IOException {
    FakeAgent.Factory straightAgents = new FakeAgent.Factory();
    RunDirectory straightRun = newRun("straight");
    TrainingOutcome straight =
        TrainingSession.run(
            plan(config(200), straightRun, Optional.empty(), 0, false),
            straightAgents,
            new StopSignal());
    assertEquals(200, straight.finalStep());
    assertFalse(straight.stoppedEarly());

    FakeAgent.Factory splitAgents = new FakeAgent.Factory();
    splitAgents.afterUpdate(
        agent -> {
          if (agent.step() == 100) {
            throw new IllegalStateException("simulated crash after step 100");
          }
        });
    RunDirectory splitRun = newRun("split");
    IllegalStateException crash =
        assertThrows(
            IllegalStateException.class,
            () ->
                TrainingSession.run(
                    plan(config(200), splitRun, Optional.empty(), 50, false),
                    splitAgents,
                    new StopSignal()));
    assertEquals("simulated crash after step 100", crash.getMessage());
    // The crash hit after step 100's update but before its checkpoint: the newest is step 50.
    Path latest = CheckpointStore.resolveResumeTarget(splitRun.path());
    assertEquals("step-000000050.ckpt", latest.getFileName().toString());

    FakeAgent.Factory resumedAgents = new FakeAgent.Factory();
    CheckpointFile checkpoint = CheckpointFile.read(latest);
    TrainingOutcome resumed =
        TrainingSession.run(
            plan(checkpoint.config(), splitRun, Optional.of(checkpoint), 50, false),
            resumedAgents,
            new StopSignal());
    assertEquals(200, resumed.finalStep());
    assertArrayEquals(straightAgents.last().weights(), resumedAgents.last().weights());
    assertTrue(resumedAgents.last().isClosed());

    CheckpointFile straightEnd = CheckpointFile.read(straight.lastCheckpoint().orElseThrow());
    CheckpointFile resumedEnd = CheckpointFile.read(resumed.lastCheckpoint().orElseThrow());
    assertEquals(straightEnd.samplerState(), resumedEnd.samplerState());
    assertArrayEquals(
        straightEnd.agentState().tensors().get("w").data(),
        resumedEnd.agentState().tensors().get("w").data());

    // Metrics: the rows the crashed process logged after step 50 were replaced, not duplicated.
    assertEquals(loggedSteps(straightRun), loggedSteps(splitRun));
    assertEquals(lossColumn(straightRun), lossColumn(splitRun));
  }

  @Test
  void stopRequestFinishesTheStepSavesAndResumesExactly() throws IOException {
    FakeAgent.Factory straightAgents = new FakeAgent.Factory();
    TrainingSession.run(
        plan(config(120), newRun("a"), Optional.empty(), 0, false),
        straightAgents,
        new StopSignal());

    StopSignal stop = new StopSignal();
    FakeAgent.Factory agents = new FakeAgent.Factory();
    agents.afterUpdate(
        agent -> {
          if (agent.step() == 37) {
            stop.request(); // what the Ctrl-C shutdown hook does
          }
        });
    RunDirectory run = newRun("b");
    TrainingOutcome stopped =
        TrainingSession.run(plan(config(120), run, Optional.empty(), 100, false), agents, stop);
    assertTrue(stopped.stoppedEarly());
    assertEquals(37, stopped.finalStep());
    assertEquals(
        "step-000000037.ckpt", stopped.lastCheckpoint().orElseThrow().getFileName().toString());

    CheckpointFile checkpoint =
        CheckpointFile.read(CheckpointStore.resolveResumeTarget(run.path()));
    assertEquals(37, checkpoint.step());
    assertEquals(List.of(10L, 20L, 30L, 37L), loggedSteps(run));
    FakeAgent.Factory resumedAgents = new FakeAgent.Factory();
    TrainingOutcome finished =
        TrainingSession.run(
            plan(config(120), run, Optional.of(checkpoint), 100, false),
            resumedAgents,
            new StopSignal());
    assertFalse(finished.stoppedEarly());
    assertArrayEquals(straightAgents.last().weights(), resumedAgents.last().weights());
  }

  @Test
  void checkpointsAtEveryMultipleAndAtTheEnd() throws IOException {
    RunDirectory run = newRun("c");
    TrainingSession.run(
        plan(config(95), run, Optional.empty(), 40, false),
        new FakeAgent.Factory(),
        new StopSignal());
    try (Stream<Path> files = Files.list(run.checkpoints().directory())) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(
          List.of("latest", "step-000000040.ckpt", "step-000000080.ckpt", "step-000000095.ckpt"),
          names);
    }
    assertEquals(95, CheckpointFile.read(run.checkpoints().latest().orElseThrow()).step());
  }

  @Test
  void metricsFilesHoldEveryLoggedStepWithSpeedAndLosses() throws IOException {
    RunDirectory run = newRun("d");
    TrainingSession.run(
        plan(config(45), run, Optional.empty(), 0, true),
        new FakeAgent.Factory(),
        new StopSignal());
    List<String> lines = Files.readAllLines(run.metricsJsonl());
    assertEquals(5, lines.size()); // steps 10, 20, 30, 40 and the last, 45
    JsonObject last = JsonParser.parseString(lines.get(4)).getAsJsonObject();
    assertEquals(45, last.get("step").getAsLong());
    assertTrue(last.get("charts/steps_per_s").getAsDouble() > 0);
    assertTrue(last.get("wall_time_s").getAsDouble() >= 0);
    assertTrue(last.has("losses/critic") && last.has("losses/actor"));
    assertFalse(JsonParser.parseString(lines.get(2)).getAsJsonObject().has("losses/actor"));

    List<String> csv = Files.readAllLines(run.metricsCsv());
    assertEquals(
        "step,wall_time_s,charts/steps_per_s,losses/bc,losses/critic,losses/actor", csv.get(0));
    assertEquals(6, csv.size());
    assertTrue(csv.get(1).startsWith("10,"));
    assertTrue(csv.get(1).endsWith(","), "no actor loss during pretraining: " + csv.get(1));
    assertTrue(csv.get(5).startsWith("45,"));
  }

  @Test
  void wallTimeContinuesAcrossAResumeFromTheCheckpointsTrainingSeconds() throws IOException {
    StopSignal stop = new StopSignal();
    FakeAgent.Factory agents = new FakeAgent.Factory();
    agents.afterUpdate(
        agent -> {
          sleepMillis(5); // about 0.2 s of training before the stop
          if (agent.step() == 37) {
            stop.request();
          }
        });
    RunDirectory run = newRun("w");
    TrainingSession.run(plan(config(60), run, Optional.empty(), 100, false), agents, stop);
    CheckpointFile checkpoint =
        CheckpointFile.read(CheckpointStore.resolveResumeTarget(run.path()));
    double before = checkpoint.trainingSeconds();
    assertTrue(before >= 37 * 0.005, "training seconds in the checkpoint: " + before);
    assertEquals(before, wallTimes(run).get(3), 1e-9, "the last row and the checkpoint agree");

    TrainingOutcome resumed =
        TrainingSession.run(
            plan(config(60), run, Optional.of(checkpoint), 100, false),
            new FakeAgent.Factory(),
            new StopSignal());
    List<Double> wallTimes = wallTimes(run);
    assertEquals(List.of(10L, 20L, 30L, 37L, 40L, 50L, 60L), loggedSteps(run));
    for (int i = 1; i < wallTimes.size(); i++) {
      assertTrue(wallTimes.get(i) >= wallTimes.get(i - 1), "not cumulative: " + wallTimes);
    }
    assertTrue(wallTimes.get(4) >= before, "resumed rows start from the earlier time");
    assertTrue(
        CheckpointFile.read(resumed.lastCheckpoint().orElseThrow()).trainingSeconds()
            >= wallTimes.get(6));
  }

  @Test
  void onlyTheNewestCheckpointsAreKept() throws IOException {
    RunDirectory run = newRun("k");
    TrainingSession.run(
        plan(config(95), run, Optional.empty(), new OutputSettings(10, 2, 10, false)),
        new FakeAgent.Factory(),
        new StopSignal());
    try (Stream<Path> files = Files.list(run.checkpoints().directory())) {
      assertEquals(
          List.of("latest", "step-000000090.ckpt", "step-000000095.ckpt"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<Double> wallTimes(RunDirectory run) throws IOException {
    return Files.readAllLines(run.metricsJsonl()).stream()
        .map(
            line -> JsonParser.parseString(line).getAsJsonObject().get("wall_time_s").getAsDouble())
        .toList();
  }

  private static List<Long> loggedSteps(RunDirectory run) throws IOException {
    return Files.readAllLines(run.metricsJsonl()).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong())
        .toList();
  }

  private static List<Double> lossColumn(RunDirectory run) throws IOException {
    return Files.readAllLines(run.metricsJsonl()).stream()
        .map(
            line ->
                JsonParser.parseString(line).getAsJsonObject().get("losses/critic").getAsDouble())
        .toList();
  }
}
