package io.dtql.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.preset.PresetRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class D4rlScoresTest {
  @Test
  void referenceReturnsMapToZeroAndHundred() {
    assertEquals(0.0, D4rlScores.normalize("hopper", -20.272305).orElseThrow(), 1e-9);
    assertEquals(100.0, D4rlScores.normalize("hopper-medium-v2", 3234.3).orElseThrow(), 1e-9);
    assertEquals(100.0, D4rlScores.normalize("halfcheetah", 12135.0).orElseThrow(), 1e-9);
    assertEquals(0.0, D4rlScores.normalize("walker2d", 1.629008).orElseThrow(), 1e-9);
    assertEquals(50.0, D4rlScores.normalize("antmaze-umaze-v2", 0.5).orElseThrow(), 1e-9);
  }

  @Test
  void everyBundledPresetsTaskHasAReference() {
    PresetRegistry presets = PresetRegistry.bundled();
    for (String name : presets.names()) {
      String task = presets.load(name).task();
      assertTrue(D4rlScores.normalize(task, 0.0).isPresent(), name + " (task " + task + ")");
      assertTrue(D4rlScores.normalize(presets.load(name).d4rlDataset(), 0.0).isPresent(), name);
    }
  }

  @Test
  void familiesAreRecognisedWithoutConfusingAntAndAntmaze() {
    assertEquals("ant", D4rlScores.family("ant-medium-v2").orElseThrow());
    assertEquals("ant", D4rlScores.family("Ant-v4").orElseThrow());
    assertEquals("ant", D4rlScores.family("ant-medium-expert").orElseThrow());
    assertTrue(
        D4rlScores.family("ant-goal").isEmpty(), "the maze controller's task has no reference");
    assertEquals("antmaze", D4rlScores.family("antmaze-large-diverse-v2").orElseThrow());
    assertEquals("hopper", D4rlScores.family("Hopper-v4").orElseThrow());
    assertTrue(D4rlScores.family("Pendulum-v1").isEmpty());
  }

  @Test
  void summaryNormalisesMeanAndScalesStd() {
    List<EpisodeResult> eps =
        List.of(
            new EpisodeResult(0, 1, 1000, 100, true, false, "s", false),
            new EpisodeResult(1, 2, 2000, 200, false, false, "s", false));
    EvaluationSummary s = EvaluationSummary.of("hopper", "p", eps);
    double range = 3234.3 + 20.272305;
    assertEquals(1500, s.meanReturn(), 1e-9);
    assertEquals(500, s.stdReturn(), 1e-9);
    assertEquals(100 * (1500 + 20.272305) / range, s.meanNormalized().orElseThrow(), 1e-9);
    assertEquals(100 * 500 / range, s.stdNormalized().orElseThrow(), 1e-9);
    assertEquals(150, s.meanLength(), 1e-9);
  }
}
