package io.dtql.agent.sac;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.dtql.Adam;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.DtqlLosses;
import io.dtql.agent.dtql.LearningRateSchedule;
import io.dtql.agent.dtql.NonFiniteLossException;
import io.dtql.agent.dtql.Polyak;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.RandomStreams;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.nn.Mlp;
import io.dtql.agent.nn.ParameterStore;
import io.dtql.agent.nn.SquashedGaussianActor;
import io.dtql.agent.nn.TwinQ;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Soft Actor-Critic (Haarnoja et al. 2018, arXiv 1812.05905) as a learner: it takes batches of
 * transitions and returns metrics; acting in an environment and the replay buffer belong to the
 * caller. Built from the same parts as the DTQL agent (hand-held parameters in flat groups, the
 * exact-PyTorch Adam, Polyak updates, exportable state).
 *
 * <p>One {@link #update}: the target r + discount * (1 - done) * (min(Q1', Q2')(s', a') - alpha *
 * log pi(a'|s')) with a' ~ pi(s') and the target critics, computed without a graph; then one graph
 * with three losses that touch disjoint parameters: the critics' MSE to the target, the actor's
 * mean(alpha * log pi(a|s) - min(Q1, Q2)(s, a)) through frozen critic weights, and the
 * temperature's -mean(log_alpha * (log pi + target entropy)) with log pi detached. One backward
 * pass gives each optimiser exactly its own loss's gradient, as the original SAC code's
 * simultaneous updates do; then a Polyak update of the target critics.
 *
 * <p>Noise for each update comes from a generator seeded from (seed, step), so a restored agent
 * continues exactly. Not thread-safe.
 */
public final class SacAgent implements TrainableAgent {
  private static final String ACTOR = "actor";
  private static final String CRITIC = "critic";
  private static final String ALPHA = "alpha";
  private static final long NOISE_STREAM = 0x3C6EF372FE94F82BL;

  private final SacConfig config;
  private final ProblemShape shape;
  private final NDManager root;
  private final ParameterStore store;
  private final SquashedGaussianActor actor;
  private final TwinQ critic;
  private final NDArray logAlpha;
  private final NDArray criticFlat;
  private final NDArray targetFlat;
  private final Adam actorOptim;
  private final Adam criticOptim;
  private final Adam alphaOptim;
  private final float targetEntropy;
  private final TwinQ targetCritic;
  private long step;

  private SacAgent(SacConfig config, ProblemShape shape, AgentState state, Device device) {
    this.config = config;
    this.shape = shape;
    this.root = NDManager.newBaseManager(device);
    boolean restoring = state != null;
    this.store = new ParameterStore(root, restoring ? state.tensors() : Map.of());
    Map<String, Long> counters = restoring ? state.counters() : Map.of();
    RandomGenerator init = new SplittableRandom(config.seed());
    int obs = shape.obsDim();
    int act = shape.actDim();
    int hidden = config.hiddenDim();
    try {
      Mlp.Spec actorSpec = SquashedGaussianActor.spec(obs, act, hidden);
      store.beginGroup(ACTOR, actorSpec.parameterCount());
      actor = SquashedGaussianActor.create(store, ACTOR, obs, act, hidden, shape.maxAction(), init);
      NDArray actorFlat = store.endGroup();
      Mlp.Spec qSpec = criticSpec(obs + act, hidden);
      store.beginGroup(CRITIC, 2 * qSpec.parameterCount());
      critic = TwinQ.create(store, CRITIC, qSpec, init);
      criticFlat = store.endGroup();
      store.beginGroup("critic_target", 2 * qSpec.parameterCount());
      targetCritic = TwinQ.copyOf(store, "critic_target", critic);
      targetFlat = store.endGroup();
      store.beginGroup(ALPHA, 1);
      float initialLogAlpha = (float) Math.log(config.initialAlpha());
      logAlpha =
          store.create(
              "alpha/log_alpha", new long[] {1}, true, () -> new float[] {initialLogAlpha});
      NDArray alphaFlat = store.endGroup();
      actorOptim = adam(ACTOR, actorFlat, actor.parameters(), config.actorLearningRate(), counters);
      criticOptim =
          adam(CRITIC, criticFlat, critic.parameters(), config.criticLearningRate(), counters);
      alphaOptim = adam(ALPHA, alphaFlat, List.of(logAlpha), config.alphaLearningRate(), counters);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    this.targetEntropy = (float) config.targetEntropyFor(act);
    this.step = restoring ? state.step() : 0;
    if (restoring) {
      requireCounter(counters, ACTOR);
    }
  }

  /** SAC's Q network: concat(s, a) -> hidden -> hidden -> 1 with ReLU. */
  static Mlp.Spec criticSpec(int inDim, int hidden) {
    return new Mlp.Spec(
        new int[] {inDim, hidden, hidden, 1},
        new Mlp.Act[] {Mlp.Act.RELU, Mlp.Act.RELU},
        false,
        Mlp.Init.PYTORCH_DEFAULT);
  }

  private Adam adam(
      String name, NDArray flat, List<NDArray> params, double lr, Map<String, Long> counters) {
    long done = counters.getOrDefault(Adam.counterName(name), 0L);
    return new Adam(store, name, flat, params, LearningRateSchedule.constant(lr), done);
  }

  private static void requireCounter(Map<String, Long> counters, String name) {
    if (!counters.containsKey(Adam.counterName(name))) {
      throw new IllegalArgumentException(
          "agent state has no counter '" + Adam.counterName(name) + "'");
    }
  }

  /** A freshly initialised agent on the engine's default device. */
  public static SacAgent create(SacConfig config, ProblemShape shape) {
    return new SacAgent(config, shape, null, Engine.getInstance().defaultDevice());
  }

  /** An agent that continues exactly from {@code state} (taken by {@link #exportState}). */
  public static SacAgent restore(SacConfig config, ProblemShape shape, AgentState state) {
    if (state == null) {
      throw new IllegalArgumentException("agent state must not be null");
    }
    return new SacAgent(config, shape, state, Engine.getInstance().defaultDevice());
  }

  @Override
  public long step() {
    return step;
  }

  public SacConfig config() {
    return config;
  }

  public ProblemShape shape() {
    return shape;
  }

  /** The current temperature alpha = exp(log_alpha). */
  public double alpha() {
    return Math.exp(logAlpha.getFloat());
  }

  /** Native arrays held between updates; must stay constant across updates. */
  public int liveArrayCount() {
    return root.getManagedArrays().size();
  }

  @Override
  public StepMetrics update(Batch batch) {
    if (batch.obsDim() != shape.obsDim() || batch.actDim() != shape.actDim()) {
      throw new IllegalArgumentException(
          "batch has obs-dim "
              + batch.obsDim()
              + " and act-dim "
              + batch.actDim()
              + " but the agent was built for "
              + shape);
    }
    RandomGenerator noise =
        new SplittableRandom(RandomStreams.mix(config.seed() ^ NOISE_STREAM, step));
    int b = batch.size();
    int act = shape.actDim();
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (NDManager sm = root.newSubManager()) {
      NDArray states = sm.create(batch.observations(), new Shape(b, shape.obsDim()));
      NDArray actions = sm.create(batch.actions(), new Shape(b, act));
      NDArray nextStates = sm.create(batch.nextObservations(), new Shape(b, shape.obsDim()));
      NDArray rewards = sm.create(batch.rewards(), new Shape(b, 1));
      float[] notDone = new float[b];
      for (int i = 0; i < b; i++) {
        notDone[i] = (float) ((1 - batch.dones()[i]) * config.discount());
      }
      NDArray notDoneDiscount = sm.create(notDone, new Shape(b, 1));
      float alphaValue = (float) alpha();
      NDArray alpha = sm.create(alphaValue);

      // Critic target: no graph is recorded outside the collector.
      SquashedGaussianActor.Sample next =
          actor.sample(
              actor.headsConstant(nextStates),
              sm.create(RandomStreams.gaussian(noise, b * act), new Shape(b, act)),
              sm);
      NDArray softNext =
          targetCritic
              .minConstant(nextStates.concat(next.action(), 1))
              .sub(next.logProb().mul(alpha));
      NDArray target = rewards.add(notDoneDiscount.mul(softNext));

      NDArray criticLoss;
      NDArray actorLoss;
      NDArray alphaLoss;
      NDArray qMean;
      NDArray logProbMean;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDList q = critic.forward(states.concat(actions, 1));
        criticLoss = DtqlLosses.mse(q.get(0), target).add(DtqlLosses.mse(q.get(1), target));
        SquashedGaussianActor.Sample pi =
            actor.sample(
                actor.heads(states),
                sm.create(RandomStreams.gaussian(noise, b * act), new Shape(b, act)),
                sm);
        NDArray qPi = critic.minFrozen(states.concat(pi.action(), 1));
        actorLoss = pi.logProb().mul(alpha).sub(qPi).mean();
        NDArray logProb = pi.logProb().stopGradient();
        // The step's array first: an op's result lands in its first operand's manager, and
        // log_alpha's is the long-lived store.
        alphaLoss = logProb.add(targetEntropy).mul(logAlpha).mean().neg();
        gc.backward(criticLoss.add(actorLoss).add(alphaLoss));
        qMean = q.get(0).stopGradient().mean();
        logProbMean = logProb.mean();
      }
      float[] scalars =
          NDArrays.stack(new NDList(criticLoss, actorLoss, alphaLoss, qMean, logProbMean))
              .toFloatArray();
      requireFinite("critic", scalars[0]);
      requireFinite("actor", scalars[1]);
      requireFinite("alpha", scalars[2]);
      metrics.put("losses/critic", (double) scalars[0]);
      metrics.put("losses/actor", (double) scalars[1]);
      metrics.put("losses/alpha", (double) scalars[2]);
      metrics.put("values/q_mean", (double) scalars[3]);
      metrics.put("values/entropy", (double) -scalars[4]);
      metrics.put("values/alpha", (double) alphaValue);
      // Each optimiser's rate, named as DtqlAgent names its own (charts/lr_<optimiser>).
      metrics.put("charts/lr_critic", criticOptim.step());
      metrics.put("charts/lr_actor", actorOptim.step());
      metrics.put("charts/lr_alpha", alphaOptim.step());
      Polyak.update(List.of(targetFlat), List.of(criticFlat), config.targetTau(), sm);
    }
    step++;
    return new StepMetrics(step, metrics);
  }

  private void requireFinite(String name, float value) {
    if (!Float.isFinite(value)) {
      actorOptim.discardGradients();
      criticOptim.discardGradients();
      alphaOptim.discardGradients();
      throw new NonFiniteLossException(name, step, value);
    }
  }

  /**
   * Actions for a batch of states, computed without a graph: tanh(mean + std * eps) * maxAction
   * with eps drawn from {@code rng}, or tanh(mean) * maxAction when {@code rng} is null.
   *
   * @param states row-major [n * obsDim]
   */
  public float[] act(float[] states, int n, RandomGenerator rng) {
    int act = shape.actDim();
    try (NDManager sm = root.newSubManager()) {
      SquashedGaussianActor.Heads h =
          actor.headsConstant(sm.create(states, new Shape(n, shape.obsDim())));
      float[] mean = h.mean().toFloatArray();
      float[] logStd = rng == null ? null : h.logStd().toFloatArray();
      float[] out = new float[n * act];
      for (int i = 0; i < out.length; i++) {
        double u = rng == null ? mean[i] : mean[i] + Math.exp(logStd[i]) * rng.nextGaussian();
        out[i] = (float) (Math.tanh(u) * shape.maxAction());
      }
      return out;
    }
  }

  /** The actor's tensors ({@code actor/<layer>/weight|bias}), copied to Java memory. */
  public Map<String, TensorData> actorWeights() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    store
        .export()
        .forEach(
            (name, data) -> {
              if (name.startsWith(ACTOR + "/")) {
                out.put(name, data);
              }
            });
    return out;
  }

  @Override
  public AgentState exportState() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put(Adam.counterName(ACTOR), actorOptim.updates());
    counters.put(Adam.counterName(CRITIC), criticOptim.updates());
    counters.put(Adam.counterName(ALPHA), alphaOptim.updates());
    return new AgentState(step, store.export(), counters);
  }

  @Override
  public void close() {
    root.close();
  }
}
