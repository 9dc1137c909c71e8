package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dtql.agent.dtql.AgentState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
  /** Records rows instead of writing them. */
  private static final class RecordingSink implements MetricsSink {
    final List<MetricsRow> rows = new ArrayList<>();

    @Override
    public void record(MetricsRow row) {
      rows.add(row);
    }

    @Override
    public void close() {}
  }

  /** Records the speeds the bar would show. */
  private static final class RecordingProgress implements ProgressReporter {
    final List<Double> speeds = new ArrayList<>();
    long lastStep;

    @Override
    public void stepTo(long step) {
      lastStep = step;
    }

    @Override
    public void summary(double stepsPerSecond, Map<String, Double> metrics) {
      speeds.add(stepsPerSecond);
    }

    @Override
    public void close() {}
  }

  private static TrainingLoop loop(
      FakeAgent agent,
      long total,
      TrainingLoop.CheckpointWriter writer,
      RecordingSink sink,
      RecordingProgress progress) {
    return loop(agent, total, writer, sink, progress, 0.0);
  }

  private static TrainingLoop loop(
      FakeAgent agent,
      long total,
      TrainingLoop.CheckpointWriter writer,
      RecordingSink sink,
      RecordingProgress progress,
      double secondsBefore) {
    AtomicLong clock = new AtomicLong();
    return new TrainingLoop(
        agent,
        new BatchSampler(TinyData.transitions(30, 2, 1), 4, SplitMix64.forSeed(0)),
        new LoopSettings(total, 0, 10),
        writer,
        sink,
        progress,
        new StopSignal(),
        secondsBefore,
        () -> clock.addAndGet(100_000_000L)); // every reading is 0.1 s after the previous one
  }

  @Test
  void speedAndWallTimeComeFromTheClock() throws Exception {
    RecordingSink sink = new RecordingSink();
    RecordingProgress progress = new RecordingProgress();
    List<Long> saved = new ArrayList<>();
    FakeAgent agent = new FakeAgent(5, new float[] {1, 2, 3, 4}, 0);
    TrainingOutcome outcome =
        loop(
                agent,
                30,
                (state, samplerState, seconds) -> {
                  saved.add(state.step());
                  return Path.of("ckpt");
                },
                sink,
                progress)
            .run();
    assertEquals(30, outcome.finalStep());
    assertFalse(outcome.stoppedEarly());
    assertEquals(List.of(30L), saved); // checkpointEvery 0: only at the end
    assertEquals(List.of(10L, 20L, 30L), sink.rows.stream().map(MetricsRow::step).toList());
    for (MetricsRow row : sink.rows) {
      assertEquals(10.0, row.stepsPerSecond(), 1e-9);
    }
    assertEquals(3.0, sink.rows.get(2).wallTimeSeconds(), 1e-9);
    assertEquals(30, progress.lastStep);
    assertEquals(3, progress.speeds.size()); // once per simulated second
    assertEquals(10.0, progress.speeds.get(0), 1e-9);
  }

  @Test
  void wallTimeContinuesFromTheSecondsOfEarlierProcesses() throws Exception {
    RecordingSink sink = new RecordingSink();
    List<Double> savedSeconds = new ArrayList<>();
    FakeAgent agent = new FakeAgent(5, new float[] {1, 2, 3, 4}, 20);
    loop(
            agent,
            40,
            (state, samplerState, seconds) -> {
              savedSeconds.add(seconds);
              return Path.of("ckpt");
            },
            sink,
            new RecordingProgress(),
            100.0)
        .run();
    // 20 steps at 0.1 s each after the 100 s the resumed checkpoint recorded.
    assertEquals(List.of(30L, 40L), sink.rows.stream().map(MetricsRow::step).toList());
    assertEquals(101.0, sink.rows.get(0).wallTimeSeconds(), 1e-9);
    assertEquals(102.0, sink.rows.get(1).wallTimeSeconds(), 1e-9);
    assertEquals(List.of(102.0), savedSeconds);
  }

  @Test
  void agentAlreadyAtTheTotalTrainsNothingAndSavesNothing() throws Exception {
    RecordingSink sink = new RecordingSink();
    FakeAgent agent = new FakeAgent(0, new float[] {1, 2, 3, 4}, 30);
    TrainingOutcome outcome =
        loop(
                agent,
                30,
                (state, s, seconds) -> {
                  throw new AssertionError("no checkpoint expected");
                },
                sink,
                new RecordingProgress())
            .run();
    assertEquals(30, outcome.finalStep());
    assertEquals(List.of(), sink.rows);
  }

  @Test
  void stateFromAnotherStepIsNotSavedUnderThisStep() {
    FakeAgent agent =
        new FakeAgent(0, new float[] {1, 2, 3, 4}, 0) {
          @Override
          public AgentState exportState() {
            return new AgentState(0, Map.of(), Map.of());
          }
        };
    assertThrows(
        IllegalStateException.class,
        () ->
            loop(
                    agent,
                    3,
                    (state, s, seconds) -> Path.of("x"),
                    new RecordingSink(),
                    new RecordingProgress())
                .run());
  }
}
