package io.dtql.agent.dtql;

/**
 * Every hyperparameter of a DTQL run. Defaults follow the reference implementation (see
 * shared/reference/dtql.md); named presets (for example {@code hopper-medium}) override a few of
 * them, and every field can be overridden again from the command line.
 *
 * <p>The compact constructor validates each field and names the field and the bad value.
 *
 * @param preset name of the preset this config came from ("custom" when none)
 * @param seed seed of every random draw of the run
 * @param hiddenDim width of every hidden layer (256 in the paper)
 * @param batchSize transitions per gradient step (256 locomotion, 2048 antmaze)
 * @param learningRate Adam learning rate of the actor and the BC diffusion network
 * @param criticLearningRate Adam learning rate of the critic (3e-4 in the reference)
 * @param lrDecay cosine decay of every learning rate to 0 over the {@code trainSteps} after
 *     pretraining (rates stay at their base value during pretraining, as in the reference)
 * @param trainSteps gradient steps after pretraining (the reference's epochs x 1000); the run does
 *     {@code pretrainSteps + trainSteps} updates in all, see {@link #endStep}
 * @param pretrainSteps leading steps that train only the BC network and the critic
 * @param alpha weight of the diffusion trust-region loss in the actor loss
 * @param gamma weight of the negative log-likelihood term in the actor loss (0 = off)
 * @param discount reward discount
 * @param expectile IQL expectile of the value loss (0.7 locomotion, 0.9 antmaze)
 * @param targetTau Polyak rate of the target critic
 * @param rewardShift added to every reward when the dataset is loaded (-1 for antmaze)
 * @param numCandidates actions sampled per state by the reference action-selection mode
 */
public record DtqlConfig(
    String preset,
    long seed,
    int hiddenDim,
    int batchSize,
    double learningRate,
    double criticLearningRate,
    boolean lrDecay,
    long trainSteps,
    long pretrainSteps,
    double alpha,
    double gamma,
    double discount,
    double expectile,
    double targetTau,
    double rewardShift,
    int numCandidates) {

  /** Steps per epoch in the reference code; epochs in the presets table convert with this. */
  public static final long STEPS_PER_EPOCH = 1000;

  public DtqlConfig {
    if (preset == null || preset.isBlank()) {
      throw new IllegalArgumentException("preset must be a non-empty name, got '" + preset + "'");
    }
    requirePositive("hidden-dim", hiddenDim);
    requirePositive("batch-size", batchSize);
    requirePositive("num-candidates", numCandidates);
    requireFinitePositive("learning-rate", learningRate);
    requireFinitePositive("critic-learning-rate", criticLearningRate);
    if (trainSteps <= 0) {
      throw new IllegalArgumentException("train-steps must be > 0, got " + trainSteps);
    }
    if (pretrainSteps < 0) {
      throw new IllegalArgumentException("pretrain-steps must be >= 0, got " + pretrainSteps);
    }
    if (pretrainSteps > Long.MAX_VALUE - trainSteps) {
      throw new IllegalArgumentException("pretrain-steps + train-steps overflows a long");
    }
    requireFiniteNonNegative("alpha", alpha);
    requireFiniteNonNegative("gamma", gamma);
    requireInOpenUnit("discount", discount, true);
    requireInOpenUnit("expectile", expectile, false);
    requireInOpenUnit("target-tau", targetTau, true);
    if (!Double.isFinite(rewardShift)) {
      throw new IllegalArgumentException("reward-shift must be finite, got " + rewardShift);
    }
  }

  /** The step at which the run ends: pretraining, then the training steps. */
  public long endStep() {
    return pretrainSteps + trainSteps;
  }

  /** The reference implementation's defaults for a locomotion dataset (hopper/walker/cheetah). */
  public static DtqlConfig locomotionDefaults() {
    return new DtqlConfig(
        "custom",
        0,
        256,
        256,
        3e-4,
        3e-4,
        false,
        1000 * STEPS_PER_EPOCH,
        50 * STEPS_PER_EPOCH,
        1.0,
        0.0,
        0.99,
        0.7,
        0.005,
        0.0,
        1024);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  private static void requireFinitePositive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
  }

  private static void requireFiniteNonNegative(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
  }

  private static void requireInOpenUnit(String name, double value, boolean allowOne) {
    boolean ok = value > 0 && (allowOne ? value <= 1 : value < 1);
    if (!ok) {
      throw new IllegalArgumentException(
          name + " must be in (0, 1" + (allowOne ? "]" : ")") + ", got " + value);
    }
  }
}
