package io.dtql.agent.dtql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.ParameterStore;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's 2-D bandit (Chen et al. 2024, Sec. 5.1 toy task): a single constant state, dataset
 * actions from 8 Gaussians on a ring, reward peaked at one mode. DTQL's one-step policy must stay
 * on the data's support and pick the rewarding mode; a Gaussian policy fitted by maximum likelihood
 * (the same actor trained on -log pi(a_data) only) covers all modes and the gaps between them.
 */
class BanditTest {
  private static final Logger LOG = LoggerFactory.getLogger(BanditTest.class);
  private static final ProblemShape SHAPE = new ProblemShape(1, 2, 1f);
  private static final int MODES = 8;
  private static final double RADIUS = 0.8;
  private static final double MODE_STD = 0.05;

  /** "On the support" = within 3 mode std of some mode centre. */
  private static final double SUPPORT = 3 * MODE_STD;

  private static final int BEST = 0;

  /** Width of the reward bump around the best mode (neighbours at 0.61 get exp(-2.1) = 0.12). */
  private static final double REWARD_WIDTH = 0.3;

  private static final int BATCH = 128;
  private static final int SAMPLES = 2000;

  private static double[] centre(int k) {
    double angle = 2 * Math.PI * k / MODES;
    return new double[] {RADIUS * Math.cos(angle), RADIUS * Math.sin(angle)};
  }

  private static Batch sampleBatch(SplittableRandom rng) {
    float[] obs = new float[BATCH];
    float[] act = new float[BATCH * 2];
    float[] rew = new float[BATCH];
    float[] done = new float[BATCH];
    double[] best = centre(BEST);
    for (int i = 0; i < BATCH; i++) {
      double[] c = centre(rng.nextInt(MODES));
      double x = c[0] + MODE_STD * rng.nextGaussian();
      double y = c[1] + MODE_STD * rng.nextGaussian();
      act[2 * i] = (float) x;
      act[2 * i + 1] = (float) y;
      double d2 = (x - best[0]) * (x - best[0]) + (y - best[1]) * (y - best[1]);
      rew[i] =
          (float) (Math.exp(-d2 / (2 * REWARD_WIDTH * REWARD_WIDTH)) + 0.05 * rng.nextGaussian());
      obs[i] = 1f;
      done[i] = 1f; // a bandit: nothing to bootstrap
    }
    return new Batch(BATCH, 1, 2, obs, act, rew, obs.clone(), done);
  }

  /** Fractions of actions (x, y pairs) within SUPPORT of any mode and of the best mode. */
  private static double[] supportAndBest(float[] actions) {
    int n = actions.length / 2;
    int inSupport = 0;
    int atBest = 0;
    for (int i = 0; i < n; i++) {
      double nearest = Double.MAX_VALUE;
      for (int k = 0; k < MODES; k++) {
        double[] c = centre(k);
        double d = Math.hypot(actions[2 * i] - c[0], actions[2 * i + 1] - c[1]);
        nearest = Math.min(nearest, d);
        if (k == BEST && d <= SUPPORT) {
          atBest++;
        }
      }
      if (nearest <= SUPPORT) {
        inSupport++;
      }
    }
    return new double[] {inSupport / (double) n, atBest / (double) n};
  }

  private static float[] constantStates(int n) {
    float[] s = new float[n];
    java.util.Arrays.fill(s, 1f);
    return s;
  }

  /**
   * Every seed must pass, not most: before the fix in DtqlLosses#actorObjective, 2 of 7 runs of a
   * bandit like this one put only 13% and 36% of their actions on the best mode.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 2, 3, 4})
  void dtqlStaysOnTheSupportAndPicksTheBestMode(long seed) {
    long pretrain = 1500;
    long train = 1500;
    // numCandidates = 1 makes REFERENCE selection return raw samples of the one-step policy.
    DtqlConfig config =
        new DtqlConfig(
            "bandit", seed, 64, BATCH, 1e-3, 1e-3, false, train, pretrain, 1.0, 0.0, 0.99, 0.7,
            0.005, 0.0, 1);
    SplittableRandom data = new SplittableRandom(11 + seed);
    double[] dtql;
    try (DtqlAgent agent = DtqlAgent.create(config, SHAPE)) {
      for (long s = 0; s < config.endStep(); s++) {
        StepMetrics m = agent.update(sampleBatch(data));
        if (s % 500 == 499) {
          LOG.info("bandit seed {} step {}: {}", seed, m.step(), m.values());
        }
      }
      dtql =
          supportAndBest(
              agent.selectActions(constantStates(SAMPLES), SAMPLES, SelectionMode.REFERENCE));
    }
    LOG.info("bandit seed {} DTQL: in-support {} at-best {}", seed, dtql[0], dtql[1]);
    assertTrue(dtql[0] >= 0.9, "seed " + seed + ": DTQL in-support share " + dtql[0]);
    assertTrue(dtql[1] >= 0.6, "seed " + seed + ": DTQL best-mode share " + dtql[1]);
  }

  @Test
  void maximumLikelihoodSpreadsOverTheModesAndBetweenThem() {
    double[] baseline = maximumLikelihoodBaseline(new SplittableRandom(11));
    LOG.info("bandit ML baseline: in-support {} at-best {}", baseline[0], baseline[1]);
    assertTrue(baseline[0] <= 0.5, "ML baseline in-support share " + baseline[0]);
    assertTrue(baseline[1] <= 0.25, "ML baseline best-mode share " + baseline[1]);
  }

  /** The same one-step actor trained only to maximise log pi(a_data | s). */
  private static double[] maximumLikelihoodBaseline(SplittableRandom data) {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      store.beginGroup("actor", GaussianActor.parameterCount(1, 2, 64));
      GaussianActor actor =
          GaussianActor.create(store, "actor", 1, 2, 64, 1f, new SplittableRandom(7));
      NDArray flat = store.endGroup();
      Adam adam =
          new Adam(
              store, "actor", flat, actor.parameters(), LearningRateSchedule.constant(1e-3), 0);
      for (int step = 0; step < 1500; step++) {
        Batch b = sampleBatch(data);
        try (NDManager sm = m.newSubManager()) {
          NDArray s = sm.create(b.observations(), new Shape(BATCH, 1));
          NDArray u = sm.create(actor.preTanh(b.actions()), new Shape(BATCH, 2));
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(actor.logProb(actor.heads(s), u).mean().neg());
          }
        }
        adam.step();
      }
      try (NDManager sm = m.newSubManager()) {
        NDArray s = sm.create(constantStates(SAMPLES), new Shape(SAMPLES, 1));
        NDArray eps = sm.randomNormal(new Shape(SAMPLES, 2));
        return supportAndBest(actor.sample(actor.heads(s), eps).toFloatArray());
      }
    }
  }
}
