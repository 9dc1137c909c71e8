package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.dtql.TrainableAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
  /** The fake clock's step: every reading is 0.1 s after the previous one. */
  private static final long TICK_NANOS = 100_000_000L;

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

  /** Records the speeds and metrics the bar would show. */
  private static final class RecordingProgress implements ProgressReporter {
    final List<Double> speeds = new ArrayList<>();
    final List<Map<String, Double>> shownMetrics = new ArrayList<>();
    long lastStep;

    @Override
    public void stepTo(long step) {
      lastStep = step;
    }

    @Override
    public void summary(double stepsPerSecond, Map<String, Double> metrics) {
      speeds.add(stepsPerSecond);
      shownMetrics.add(metrics);
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
    return loop(
        agent,
        new LoopSettings(total, 0, 10),
        writer,
        sink,
        progress,
        ScheduledCallback.none(),
        secondsBefore,
        new AtomicLong());
  }

  private static TrainingLoop loop(
      TrainableAgent agent,
      LoopSettings settings,
      TrainingLoop.CheckpointWriter writer,
      RecordingSink sink,
      RecordingProgress progress,
      ScheduledCallback callback,
      double secondsBefore,
      AtomicLong clock) {
    return new TrainingLoop(
        agent,
        new BatchSampler(TinyData.transitions(30, 2, 1), 4, SplitMix64.forSeed(0)),
        settings,
        writer,
        sink,
        progress,
        new StopSignal(),
        callback,
        secondsBefore,
        () -> clock.addAndGet(TICK_NANOS));
  }

  /** A loop of {@code total} steps logging every {@code logEvery}, saving only at the end. */
  private static TrainingLoop loop(
      TrainableAgent agent,
      long total,
      long logEvery,
      RecordingSink sink,
      RecordingProgress progress,
      ScheduledCallback callback,
      AtomicLong clock) {
    return loop(
        agent,
        new LoopSettings(total, 0, logEvery),
        (state, samplerState, seconds) -> Path.of("ckpt"),
        sink,
        progress,
        callback,
        0.0,
        clock);
  }

  /**
   * A fake agent reporting {@code metricsAt(step)} after each update, so tests know every value
   * that went into a window.
   */
  private static FakeAgent scripted(LongFunction<Map<String, Double>> metricsAt) {
    return new FakeAgent(0, new float[] {1, 2, 3, 4}, 0) {
      @Override
      public StepMetrics update(Batch batch) {
        super.update(batch);
        return new StepMetrics(step(), metricsAt.apply(step()));
      }
    };
  }

  /** Metrics of step s: losses/x = s, a constant rate, and losses/actor = 2s from step 15 on. */
  private static Map<String, Double> rampMetrics(long step) {
    Map<String, Double> values = new HashMap<>();
    values.put("losses/x", (double) step);
    values.put("charts/lr", 3e-4);
    if (step >= 15) {
      values.put("losses/actor", 2.0 * step);
    }
    return values;
  }

  /** 30 steps of {@link #rampMetrics}, a row every 10, with {@code callback}; rows discarded. */
  private static TrainingLoop rampLoop(ScheduledCallback callback) {
    return loop(
        scripted(TrainingLoopTest::rampMetrics),
        30,
        10,
        new RecordingSink(),
        new RecordingProgress(),
        callback,
        new AtomicLong());
  }

  @Test
  void eachRowHoldsTheMeanOfEveryStepOfItsWindow() throws Exception {
    RecordingSink sink = new RecordingSink();
    RecordingProgress progress = new RecordingProgress();
    loop(
            scripted(TrainingLoopTest::rampMetrics),
            30,
            10,
            sink,
            progress,
            ScheduledCallback.none(),
            new AtomicLong())
        .run();
    assertEquals(3, sink.rows.size());
    assertEquals(5.5, sink.rows.get(0).values().get("losses/x"), 0.0); // mean of 1..10
    assertEquals(15.5, sink.rows.get(1).values().get("losses/x"), 0.0); // 11..20
    assertEquals(25.5, sink.rows.get(2).values().get("losses/x"), 0.0); // 21..30
    // A constant reads exactly as reported, not within rounding of it.
    for (MetricsRow row : sink.rows) {
      assertEquals(3e-4, row.values().get("charts/lr"), 0.0);
    }
    // A metric that starts mid-window is the mean over the steps that reported it: 2 * 15..20.
    assertFalse(sink.rows.get(0).values().containsKey("losses/actor"));
    assertEquals(35.0, sink.rows.get(1).values().get("losses/actor"), 0.0);
    assertEquals(51.0, sink.rows.get(2).values().get("losses/actor"), 0.0);
    // The bar still shows the latest step's values (once per simulated second: steps 10, 20, 30).
    assertEquals(10.0, progress.shownMetrics.get(0).get("losses/x"), 0.0);
    assertEquals(30.0, progress.shownMetrics.get(2).get("losses/x"), 0.0);
  }

  @Test
  void aWindowCutShortByTheLastStepAveragesOnlyItsOwnSteps() throws Exception {
    RecordingSink sink = new RecordingSink();
    loop(
            scripted(TrainingLoopTest::rampMetrics),
            25,
            10,
            sink,
            new RecordingProgress(),
            ScheduledCallback.none(),
            new AtomicLong())
        .run();
    assertEquals(List.of(10L, 20L, 25L), sink.rows.stream().map(MetricsRow::step).toList());
    assertEquals(23.0, sink.rows.get(2).values().get("losses/x"), 0.0); // mean of 21..25
  }

  @Test
  void callbackRunsAtItsMultiplesAndAtTheLastStepAndJoinsThoseRows() throws Exception {
    RecordingSink sink = new RecordingSink();
    List<Long> calledAt = new ArrayList<>();
    ScheduledCallback callback =
        new ScheduledCallback(
            10,
            (step, agent) -> {
              calledAt.add(step);
              assertEquals(step, agent.step());
              return Map.of("eval/step_seen", (double) step);
            });
    loop(
            scripted(TrainingLoopTest::rampMetrics),
            35,
            5,
            sink,
            new RecordingProgress(),
            callback,
            new AtomicLong())
        .run();
    assertEquals(List.of(10L, 20L, 30L, 35L), calledAt);
    for (MetricsRow row : sink.rows) {
      boolean due = calledAt.contains(row.step());
      assertEquals(due, row.values().containsKey("eval/step_seen"), "row " + row.step());
      if (due) {
        assertEquals((double) row.step(), row.values().get("eval/step_seen"), 0.0);
        assertTrue(row.values().containsKey("losses/x"), "training metrics stay in the row");
      }
    }
    assertEquals(7, sink.rows.size()); // 5, 10, ..., 35: the same rows as without the callback
  }

  @Test
  void callbackTimeCountsInWallTimeButNotInTheTrainingSpeed() throws Exception {
    RecordingSink sink = new RecordingSink();
    RecordingProgress progress = new RecordingProgress();
    AtomicLong clock = new AtomicLong();
    long callbackNanos = 5_000_000_000L;
    ScheduledCallback slow =
        new ScheduledCallback(
            10,
            (step, agent) -> {
              clock.addAndGet(callbackNanos);
              return Map.of("eval/x", 1.0);
            });
    loop(scripted(TrainingLoopTest::rampMetrics), 30, 10, sink, progress, slow, clock).run();
    for (MetricsRow row : sink.rows) {
      assertEquals(10.0, row.stepsPerSecond(), 1e-9, "row " + row.step());
    }
    for (double speed : progress.speeds) {
      assertEquals(10.0, speed, 1e-9);
    }
    // 30 steps of 0.1 s, three callbacks of 5 s plus the clock reading after each.
    assertEquals(3.0 + 3 * 5.1, sink.rows.get(2).wallTimeSeconds(), 1e-9);
  }

  @Test
  void callbackPeriodMustBeAMultipleOfTheLoggingPeriod() {
    ScheduledCallback every15 = new ScheduledCallback(15, (step, agent) -> Map.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rampLoop(every15));
    assertTrue(e.getMessage().contains("multiple of log-every 10"), e.getMessage());
  }

  @Test
  void callbackMetricThatClashesWithTheAgentsIsRefused() {
    ScheduledCallback clash = new ScheduledCallback(10, (step, agent) -> Map.of("losses/x", 0.0));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> rampLoop(clash).run());
    assertTrue(e.getMessage().contains("losses/x"), e.getMessage());
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
  void timeLimitEndsTheLoopAfterTheStepThatPassedItWithARowAndACheckpoint() throws Exception {
    RecordingSink sink = new RecordingSink();
    List<Long> saved = new ArrayList<>();
    // The fake clock reads 0.1 s later at every step: step k ends k x 0.1 s after the start.
    TrainingOutcome outcome =
        loop(
                scripted(TrainingLoopTest::rampMetrics),
                new LoopSettings(100, 0, 7, Optional.of(Duration.ofMillis(1200))),
                (state, samplerState, seconds) -> {
                  saved.add(state.step());
                  return Path.of("ckpt-" + state.step());
                },
                sink,
                new RecordingProgress(),
                ScheduledCallback.none(),
                0.0,
                new AtomicLong())
            .run();
    assertEquals(12, outcome.finalStep());
    assertTrue(outcome.timeLimitReached());
    assertFalse(outcome.stoppedEarly(), "a time limit is a planned end, not a stop");
    assertEquals(Optional.of(Path.of("ckpt-12")), outcome.lastCheckpoint());
    assertEquals(List.of(12L), saved);
    // The metrics end where the checkpoint is: a row at 7, then one cut short at 12.
    assertEquals(List.of(7L, 12L), sink.rows.stream().map(MetricsRow::step).toList());
    assertEquals(10.0, sink.rows.get(1).values().get("losses/x"), 0.0); // mean of 8..12
  }

  @Test
  void callbackAlsoRunsWhereTheTimeLimitEndsTheRun() throws Exception {
    List<Long> calledAt = new ArrayList<>();
    ScheduledCallback callback =
        new ScheduledCallback(
            10,
            (step, agent) -> {
              calledAt.add(step);
              return Map.of("eval/x", 1.0);
            });
    RecordingSink sink = new RecordingSink();
    TrainingOutcome outcome =
        loop(
                scripted(TrainingLoopTest::rampMetrics),
                new LoopSettings(100, 0, 5, Optional.of(Duration.ofMillis(1250))),
                (state, samplerState, seconds) -> Path.of("ckpt"),
                sink,
                new RecordingProgress(),
                callback,
                0.0,
                new AtomicLong())
            .run();
    // Step 12 ends 1.3 s after the start (the clock also ticks once after the callback at 10).
    assertTrue(outcome.timeLimitReached());
    assertEquals(List.of(10L, 12L), calledAt);
    assertTrue(sink.rows.get(sink.rows.size() - 1).values().containsKey("eval/x"));
  }

  @Test
  void aRunThatFinishesWithinItsTimeLimitEndsNormally() throws Exception {
    TrainingOutcome outcome =
        loop(
                scripted(TrainingLoopTest::rampMetrics),
                new LoopSettings(20, 0, 10, Optional.of(Duration.ofSeconds(2))),
                (state, samplerState, seconds) -> Path.of("ckpt"),
                new RecordingSink(),
                new RecordingProgress(),
                ScheduledCallback.none(),
                0.0,
                new AtomicLong())
            .run();
    // Step 20 ends exactly at the limit, but it is the last step anyway.
    assertEquals(20, outcome.finalStep());
    assertFalse(outcome.timeLimitReached());
    assertFalse(outcome.stoppedEarly());
  }

  @Test
  void aTimeLimitMustBePositive() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoopSettings(10, 0, 1, Optional.of(Duration.ZERO)));
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
