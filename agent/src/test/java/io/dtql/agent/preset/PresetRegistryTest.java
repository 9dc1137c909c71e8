package io.dtql.agent.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.dtql.DtqlConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresetRegistryTest {
  private static final PresetRegistry REGISTRY = PresetRegistry.bundled();

  static List<String> presetNames() {
    return REGISTRY.names();
  }

  @Test
  void catalogueHoldsEveryRowOfTheSettingsTable() {
    Set<String> expected = new TreeSet<>();
    for (String env : List.of("halfcheetah", "hopper", "walker2d")) {
      for (String kind : List.of("medium", "medium-replay", "medium-expert")) {
        expected.add(env + "-" + kind);
      }
    }
    for (String maze :
        List.of(
            "umaze",
            "umaze-diverse",
            "medium-play",
            "medium-diverse",
            "large-play",
            "large-diverse")) {
      expected.add("antmaze-" + maze);
    }
    assertEquals(expected, new TreeSet<>(REGISTRY.names()));
  }

  @Test
  void indexListsExactlyTheJsonFilesInTheDirectory() throws IOException, URISyntaxException {
    Path dir =
        Path.of(getClass().getClassLoader().getResource("presets/index.txt").toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> onDisk =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(onDisk, new TreeSet<>(REGISTRY.names()));
    }
  }

  @ParameterizedTest
  @MethodSource("presetNames")
  void everyPresetLoadsIntoAValidConfig(String name) {
    Preset preset = REGISTRY.load(name);
    DtqlConfig config = preset.config();
    assertEquals(name, config.preset());
    assertEquals(50_000, config.pretrainSteps());
    assertTrue(name.equals(preset.task()) || name.startsWith(preset.task() + "-"), name);
    assertTrue(preset.d4rlDataset().startsWith(name + "-v"));
  }

  @Test
  void hopperMediumMatchesTheTable() {
    Preset preset = REGISTRY.load("hopper-medium");
    DtqlConfig config = preset.config();
    assertEquals(1e-4, config.learningRate());
    assertEquals(5.0, config.alpha());
    assertEquals(0.0, config.gamma());
    assertTrue(config.lrDecay());
    // The reference: 50 epochs of pretraining, then 1000 epochs of training (1000 steps each).
    assertEquals(50_000, config.pretrainSteps());
    assertEquals(1_000_000, config.trainSteps());
    assertEquals(1_050_000, config.endStep());
    assertEquals(256, config.batchSize());
    assertEquals(0.7, config.expectile());
    assertEquals(0.0, config.rewardShift());
    assertEquals(11, preset.shape().obsDim());
    assertEquals(3, preset.shape().actDim());
  }

  @Test
  void halfcheetahAlphasFollowTheTable() {
    assertEquals(1.0, REGISTRY.load("halfcheetah-medium").config().alpha());
    assertEquals(5.0, REGISTRY.load("halfcheetah-medium-replay").config().alpha());
    assertEquals(50.0, REGISTRY.load("halfcheetah-medium-expert").config().alpha());
    assertFalse(REGISTRY.load("halfcheetah-medium-expert").config().lrDecay());
    assertEquals(17, REGISTRY.load("halfcheetah-medium").shape().obsDim());
  }

  @Test
  void antmazePresetsUseTheSparseRewardSettings() {
    DtqlConfig largeDiverse = REGISTRY.load("antmaze-large-diverse").config();
    assertEquals(0.5, largeDiverse.alpha());
    assertEquals(300_000, largeDiverse.trainSteps());
    assertEquals(50_000, largeDiverse.pretrainSteps());
    assertEquals(2048, largeDiverse.batchSize());
    assertEquals(0.9, largeDiverse.expectile());
    assertEquals(1.0, largeDiverse.gamma());
    assertEquals(-1.0, largeDiverse.rewardShift());
    DtqlConfig umazeDiverse = REGISTRY.load("antmaze-umaze-diverse").config();
    assertEquals(3e-5, umazeDiverse.learningRate());
    assertTrue(umazeDiverse.lrDecay());
    assertEquals(500_000, umazeDiverse.trainSteps());
    assertEquals(29, REGISTRY.load("antmaze-umaze").shape().obsDim());
    assertEquals(700, REGISTRY.load("antmaze-umaze").maxEpisodeSteps());
  }

  @Test
  void unknownPresetIsRefusedWithTheValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> REGISTRY.load("hopper-expert"));
    assertTrue(e.getMessage().contains("hopper-expert"), e.getMessage());
    assertTrue(e.getMessage().contains("hopper-medium-expert"), e.getMessage());
  }

  @Test
  void overridesApplyOnTopOfThePreset() {
    DtqlConfig config =
        REGISTRY.config("hopper-medium", Map.of("alpha", "2.5", "lr-decay", "false", "seed", "7"));
    assertEquals(2.5, config.alpha());
    assertFalse(config.lrDecay());
    assertEquals(7, config.seed());
    assertEquals(1e-4, config.learningRate());
  }

  @Test
  void unknownOverrideKeyIsNamedWithTheValidKeys() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> REGISTRY.load("hopper-medium").config(Map.of("learning_rate", "1")));
    assertTrue(e.getMessage().contains("'learning_rate'"), e.getMessage());
    assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
  }

  @Test
  void unparsableOverrideNamesFieldAndValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> REGISTRY.load("hopper-medium").config(Map.of("batch-size", "big")));
    assertTrue(e.getMessage().contains("batch-size"), e.getMessage());
    assertTrue(e.getMessage().contains("'big'"), e.getMessage());
  }

  @Test
  void overrideThatBreaksValidationIsRefusedByTheConfig() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> REGISTRY.load("hopper-medium").config(Map.of("expectile", "1.5")));
    assertTrue(e.getMessage().contains("expectile"), e.getMessage());
  }

  @Test
  void misspelledBooleanIsNotReadAsFalse() {
    assertThrows(
        IllegalArgumentException.class,
        () -> REGISTRY.load("hopper-medium").config(Map.of("lr-decay", "ture")));
  }
}
