package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.ActionSelector;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.RandomStreams;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real DTQL run with a callback that acts with the agent at every evaluation step learns exactly
 * what the same run without it learns: the same metrics and bit-identical parameters. The callback
 * also must not leave native arrays behind.
 */
class CallbacksLeaveTrainingUnchangedTest {
  private static final ProblemShape SHAPE = new ProblemShape(3, 2, 1f);
  private static final long SEED = 7;

  @TempDir Path output;

  /** 10 pretraining steps then 30 training steps, on small networks. */
  private static DtqlConfig config() {
    return ConfigFields.withOverrides(
        DtqlConfig.locomotionDefaults(),
        Map.of(
            "preset", "tiny",
            "train-steps", "30",
            "pretrain-steps", "10",
            "batch-size", "8",
            "hidden-dim", "16",
            "num-candidates", "8",
            "seed", Long.toString(SEED)));
  }

  /** Builds real DTQL agents and remembers the last one, to count its native arrays. */
  private static final class DtqlAgents implements AgentFactory {
    DtqlAgent last;

    @Override
    public TrainableAgent create(DtqlConfig config, ProblemShape shape, Device device) {
      last = DtqlAgent.create(config, shape, device);
      return last;
    }

    @Override
    public TrainableAgent restore(
        DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
      throw new UnsupportedOperationException("no resume here");
    }
  }

  private record Run(List<JsonObject> rows, Map<String, TensorData> parameters) {}

  private Run train(String name, ScheduledCallback callback, DtqlAgents agents) throws IOException {
    RunDirectory run =
        RunDirectory.create(output.resolve(name), "tiny", SEED, LocalDateTime.of(2026, 1, 2, 3, 4));
    TrainingSession.Plan plan =
        new TrainingSession.Plan(
            config(),
            SHAPE,
            TinyData.transitions(64, 3, 2),
            run,
            Optional.empty(),
            Device.cpu(),
            new OutputSettings(0, CheckpointStore.KEEP_ALL, 5, false),
            ProgressReporter.Factory.none());
    TrainingOutcome outcome = TrainingSession.run(plan, agents, new StopSignal(), callback);
    List<JsonObject> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.metricsJsonl())) {
      rows.add(JsonParser.parseString(line).getAsJsonObject());
    }
    CheckpointFile end = CheckpointFile.read(outcome.lastCheckpoint().orElseThrow());
    return new Run(rows, end.agentState().tensors());
  }

  @Test
  void actingAtEveryCallbackChangesNoMetricAndNoParameter() throws IOException {
    Run plain = train("plain", ScheduledCallback.none(), new DtqlAgents());

    DtqlAgents agents = new DtqlAgents();
    List<Long> calledAt = new ArrayList<>();
    float[] states = new float[4 * SHAPE.obsDim()];
    for (int i = 0; i < states.length; i++) {
      states[i] = 0.1f * i;
    }
    PeriodicCallback acting =
        (step, agent) -> {
          calledAt.add(step);
          ActionSelector selector = agent.actionSelector().orElseThrow();
          int arraysBefore = agents.last.liveArrayCount();
          float[] sampled =
              selector.selectActions(
                  states, 4, SelectionMode.REFERENCE, RandomStreams.evaluation(SEED, step));
          float[] mean =
              selector.selectActions(
                  states, 4, SelectionMode.DETERMINISTIC, RandomStreams.evaluation(SEED, step));
          assertEquals(arraysBefore, agents.last.liveArrayCount(), "arrays left by selection");
          return Map.of("eval/sampled_0", (double) sampled[0], "eval/mean_0", (double) mean[0]);
        };
    Run evaluated = train("evaluated", new ScheduledCallback(10, acting), agents);

    assertEquals(List.of(10L, 20L, 30L, 40L), calledAt);
    assertEquals(plain.rows().size(), evaluated.rows().size());
    for (int i = 0; i < plain.rows().size(); i++) {
      JsonObject expected = trainingColumns(plain.rows().get(i));
      JsonObject actual = evaluated.rows().get(i);
      long step = actual.get("step").getAsLong();
      assertEquals(calledAt.contains(step), actual.has("eval/sampled_0"), "row " + step);
      assertEquals(expected, trainingColumns(actual), "training metrics of step " + step);
    }
    assertEquals(plain.parameters().keySet(), evaluated.parameters().keySet());
    plain
        .parameters()
        .forEach(
            (name, tensor) ->
                assertArrayEquals(tensor.data(), evaluated.parameters().get(name).data(), name));
    // The callback did act: sampled actions differ from the mean (the check is not vacuous).
    JsonObject last = evaluated.rows().get(evaluated.rows().size() - 1);
    assertTrue(last.has("eval/mean_0"));
    assertNotEquals(last.get("eval/sampled_0"), last.get("eval/mean_0"));
  }

  /** A row without what depends on the clock (speed, wall time, timing/*) or on the callback. */
  private static JsonObject trainingColumns(JsonObject row) {
    JsonObject copy = new JsonObject();
    row.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("timing/") && !e.getKey().startsWith("eval/"))
        .filter(e -> !e.getKey().equals(MetricsRow.WALL_TIME))
        .filter(e -> !e.getKey().equals(MetricsRow.STEPS_PER_SECOND))
        .forEach(e -> copy.add(e.getKey(), e.getValue()));
    return copy;
  }
}
