package io.dtql.agent.sac;

import com.google.gson.JsonObject;
import io.dtql.agent.preset.RecordFields;
import io.dtql.agent.preset.RecordJson;
import java.util.Map;

/**
 * Soft Actor-Critic's settings (Haarnoja et al. 2018, the automatic-temperature version), with the
 * values commonly used for the MuJoCo locomotion tasks as defaults: 256x256 ReLU networks, Adam at
 * 3e-4 for actor, critics and temperature, batch 256, discount 0.99, Polyak tau 0.005, target
 * entropy -dim(A).
 *
 * @param targetEntropyPerDim the temperature's target for E[-log pi] per action dimension (-1 gives
 *     the usual -dim(A))
 */
public record SacConfig(
    int hiddenDim,
    int batchSize,
    double discount,
    double targetTau,
    double actorLearningRate,
    double criticLearningRate,
    double alphaLearningRate,
    double initialAlpha,
    double targetEntropyPerDim,
    long seed) {

  public static final RecordFields<SacConfig> FIELDS = RecordFields.of(SacConfig.class);

  public SacConfig {
    requirePositive("hidden-dim", hiddenDim);
    requirePositive("batch-size", batchSize);
    if (!(discount >= 0 && discount < 1)) {
      throw new IllegalArgumentException("discount must be in [0, 1), got " + discount);
    }
    if (!(targetTau > 0 && targetTau <= 1)) {
      throw new IllegalArgumentException("target-tau must be in (0, 1], got " + targetTau);
    }
    requirePositive("actor-learning-rate", actorLearningRate);
    requirePositive("critic-learning-rate", criticLearningRate);
    requirePositive("alpha-learning-rate", alphaLearningRate);
    requirePositive("initial-alpha", initialAlpha);
    if (!Double.isFinite(targetEntropyPerDim)) {
      throw new IllegalArgumentException(
          "target-entropy-per-dim must be finite, got " + targetEntropyPerDim);
    }
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
  }

  /** The usual MuJoCo settings with the given seed. */
  public static SacConfig defaults(long seed) {
    return new SacConfig(256, 256, 0.99, 0.005, 3e-4, 3e-4, 3e-4, 1.0, -1.0, seed);
  }

  /** The target entropy for an action space of {@code actDim} dimensions. */
  public double targetEntropyFor(int actDim) {
    return targetEntropyPerDim * actDim;
  }

  /** A copy with {@code --set key=value} style overrides (kebab-case field names). */
  public SacConfig withOverrides(Map<String, String> overrides) {
    return FIELDS.withOverrides(this, overrides);
  }

  public JsonObject toJson() {
    return RecordJson.toJson(FIELDS, this);
  }

  public static SacConfig fromJson(JsonObject json) {
    return RecordJson.fromJson(FIELDS, defaults(0), json);
  }
}
