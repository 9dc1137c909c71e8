package io.dtql.agent.sac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SacConfigTest {
  @Test
  void jsonRoundTripGivesAnEqualConfig() {
    SacConfig config =
        SacConfig.defaults(42).withOverrides(Map.of("batch-size", "512", "discount", "0.995"));
    assertEquals(config, SacConfig.fromJson(config.toJson()));
    assertEquals(512, config.batchSize());
    assertEquals(-3.0, config.targetEntropyFor(3));
  }

  @Test
  void unknownOrInvalidFieldsAreRefusedByName() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> SacConfig.defaults(0).withOverrides(Map.of("learning-rate", "1e-3")));
    assertTrue(unknown.getMessage().contains("unknown config field 'learning-rate'"));
    assertTrue(unknown.getMessage().contains("actor-learning-rate"), unknown.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> SacConfig.defaults(0).withOverrides(Map.of("discount", "1.5")));
    assertTrue(bad.getMessage().contains("discount must be in [0, 1)"), bad.getMessage());
  }
}
