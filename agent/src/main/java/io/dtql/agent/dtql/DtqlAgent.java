package io.dtql.agent.dtql;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.Mlp;
import io.dtql.agent.nn.ParameterStore;
import io.dtql.agent.nn.ScoreNetwork;
import io.dtql.agent.nn.TwinQ;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * DTQL: Diffusion Trusted Q-Learning (Chen, Wang, Zhou, "Diffusion Policies creating a Trust Region
 * for Offline Reinforcement Learning", NeurIPS 2024, arXiv 2405.19690), on DJL's PyTorch engine
 * with hand-held parameters.
 *
 * <p>One {@link #update} is, in the reference loop's order: (1) critic: expectile value loss of
 * V(s) towards min(Q1, Q2)(s, a) plus MSE of Q1 and Q2 towards r + (1 - done) * discount * V(s'),
 * one Adam; (2) behaviour cloning: EDM denoising loss of the score network on dataset actions; (3)
 * once {@code step >= pretrainSteps}, actor: alpha * trust-region loss (the same denoising loss on
 * a = pi(s) with the score network frozen) - mean(min(Q1, Q2)(s, pi(s))) + gamma * (-mean log
 * pi(a_data | s)); (4) Polyak update of the target Q networks.
 *
 * <p>Decisions on the reference code's quirks and other deviations:
 *
 * <ul>
 *   <li>Score network: no activation after its first body layer - KEPT (see {@link ScoreNetwork}).
 *   <li>log pi without the tanh Jacobian - KEPT: the term depends only on the data action, so the
 *       gradient is the reference's; only the reported losses/nll value differs from a true
 *       log-density.
 *   <li>Actor EMA copy that is never used - DROPPED (no effect on training or acting).
 *   <li>Online (not target) critic in the actor loss - KEPT; the target critic is used only to
 *       score candidates in {@link SelectionMode#REFERENCE}.
 *   <li>Training-environment reset every gradient step - irrelevant offline, DROPPED.
 *   <li>Randomness: noise comes from a Java SplittableRandom seeded from (seed, step), not from
 *       torch's global generator, so resuming from {@link #exportState} is exact without saving
 *       generator state. Action selection draws from its own generator (not saved).
 *   <li>Frozen networks (the score network in the trust-region term, the critic in the actor loss,
 *       V(s') in the target) run through detached views of their weights: the reference instead
 *       lets gradients reach them and discards them; the updates are the same, the wasted weight
 *       gradients are not computed.
 *   <li>Cosine decay (when enabled) holds the base rate during pretraining and then decays to 0
 *       over the trainSteps that follow, for all three optimisers, as in the reference (whose
 *       schedulers step only in training); the run does pretrainSteps + trainSteps updates.
 *   <li>Denoised actions in the BC and trust-region losses are clamped to +-maxAction, not to the
 *       reference's +-1 - DELIBERATE: the one-step policy's actions span +-maxAction, so a +-1
 *       clamp would squeeze the trust region into a sub-box whenever maxAction != 1 (the reference
 *       also scales sampled actions by the action bound a second time at selection). For every D4RL
 *       task maxAction is 1 and the two are the same.
 *   <li>The target critic is Polyak-updated from the first step, also during pretraining; the
 *       reference starts at its first training step. It is used only to score candidates at
 *       selection, so training is unchanged; short runs select with a better-trained target.
 *   <li>Constants that enter a graph (alpha, maxAction, -1/2) are tensors kept until backward,
 *       never {@code NDArray.mul(Number)}: DJL frees that scalar while autograd still reads it (see
 *       {@link DtqlLosses#actorObjective}); this once made the trust-region weight garbage.
 *   <li>Mish is x * tanh(softplus(x)) written out: DJL's built-in mish uses log2.
 *   <li>Adam is DJL's fused native update with eps rescaled so the step equals PyTorch's Adam
 *       exactly (see {@link Adam}); its moments and counts are part of {@link #exportState}.
 * </ul>
 *
 * <p>Performance notes (measured on the shared 2-core machine, see TrainingBenchmark): each network
 * group's parameters are views into one flat buffer, so Adam and the Polyak update are a few native
 * calls per group (this halved the native ops per step, 1277 to 652); Q1 and Q2 stay two networks -
 * packing them as one ensemble through batched matmul measured 10-20% slower (LayerNorm then needs
 * separate affine ops); torch's softplus beats composed Mish formulations; frozen networks run on
 * detached weight views so no weight gradient is computed for them; the reference selection runs
 * the actor once per state, not once per candidate. What remains is matmul (about 40% of op time)
 * and Mish (about 30%). A JFR profile of the hopper/256 step (native method samples of the training
 * thread) put about 38% in backward, 18-23% in forward Linear, 10-12% in the fused Adam kernel
 * (bandwidth-bound: it clones the gradient and makes about ten passes over each flat buffer), 9-10%
 * in forward softplus; Java-side time was under 10%. The fixed cost of one native op measured about
 * 1.5 us (1-element add), so per-op overhead is not the limit at this size; softplus on (256, 256)
 * costs about 8x an add, which is why Mish dominates the element-wise time. Adam keeps its gradient
 * handles between updates (see {@link Adam}).
 *
 * <p>Not thread-safe: one thread drives an agent (DJL allows one GradientCollector at a time).
 */
public final class DtqlAgent implements TrainableAgent, ActionSelector {
  private static final String CRITIC = "critic";
  private static final String BC = "bc";
  static final String ACTOR = "actor";
  static final String TARGET_CRITIC = "critic_target";
  private static final long NOISE_STREAM = 0x5DEECE66DL;
  private static final long SELECTION_STREAM = 0x2545F4914F6CDD1DL;

  private final DtqlConfig config;
  private final ProblemShape shape;
  private final NDManager root;
  private final ParameterStore store;
  private final TwinQ critic;
  private final Mlp value;
  private final TwinQ targetCritic;

  /** Flat buffers of the target critic and of the online Q part it tracks (same layout). */
  private final NDArray targetFlat;

  private final NDArray onlineQFlat;
  private final ScoreNetwork behaviour;
  private final GaussianActor actor;
  private final Adam criticOptim;
  private final Adam behaviourOptim;
  private final Adam actorOptim;
  private final RandomGenerator selectionRandom;
  private final CandidateSelection selection;
  private long step;

  private DtqlAgent(DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
    this.config = config;
    this.shape = shape;
    // Every tensor of the agent lives in this manager or its per-step sub-managers, so they all
    // share its device.
    this.root = NDManager.newBaseManager(device);
    boolean restoring = state != null;
    this.store = new ParameterStore(root, restoring ? state.tensors() : Map.of());
    Map<String, Long> counters = restoring ? state.counters() : Map.of();
    RandomGenerator init = new SplittableRandom(config.seed());
    int obs = shape.obsDim();
    int act = shape.actDim();
    int hidden = config.hiddenDim();
    try {
      Mlp.Spec valueSpec =
          Mlp.Spec.threeHidden(obs, hidden, 1, Mlp.Act.MISH, false, Mlp.Init.PYTORCH_DEFAULT);
      long qCount = TwinQ.parameterCount(obs + act, hidden);
      store.beginGroup(CRITIC, qCount + valueSpec.parameterCount());
      critic = TwinQ.create(store, CRITIC, obs + act, hidden, init);
      value = Mlp.create(store, CRITIC + "/v", valueSpec, init, true);
      NDArray criticFlat = store.endGroup();
      store.beginGroup(TARGET_CRITIC, qCount);
      targetCritic = TwinQ.copyOf(store, TARGET_CRITIC, critic);
      targetFlat = store.endGroup();
      try (NDArray slice = criticFlat.get(new NDIndex("0:{}", qCount))) {
        onlineQFlat = slice.reshape(-1); // a view of the online Q1 and Q2 part, in target order
      }
      store.beginGroup(BC, ScoreNetwork.parameterCount(obs, act, hidden));
      behaviour = ScoreNetwork.create(store, BC, obs, act, hidden, init);
      NDArray behaviourFlat = store.endGroup();
      store.beginGroup(ACTOR, GaussianActor.parameterCount(obs, act, hidden));
      actor = GaussianActor.create(store, ACTOR, obs, act, hidden, shape.maxAction(), init);
      NDArray actorFlat = store.endGroup();
      List<NDArray> criticParams = new ArrayList<>(critic.parameters());
      criticParams.addAll(value.parameters());
      criticOptim =
          new Adam(
              store,
              CRITIC,
              criticFlat,
              criticParams,
              trainingPhaseSchedule(config.criticLearningRate()),
              counter(counters, CRITIC, restoring));
      behaviourOptim =
          new Adam(
              store,
              BC,
              behaviourFlat,
              behaviour.parameters(),
              trainingPhaseSchedule(config.learningRate()),
              counter(counters, BC, restoring));
      actorOptim =
          new Adam(
              store,
              ACTOR,
              actorFlat,
              actor.parameters(),
              config.lrDecay()
                  ? LearningRateSchedule.cosine(config.learningRate(), config.trainSteps())
                  : LearningRateSchedule.constant(config.learningRate()),
              counter(counters, ACTOR, restoring));
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
    this.selectionRandom = new SplittableRandom(config.seed() ^ SELECTION_STREAM);
    this.selection =
        new CandidateSelection(root, shape, actor, targetCritic, config.numCandidates());
    this.step = restoring ? state.step() : 0;
  }

  /** A freshly initialised agent. */
  public static DtqlAgent create(DtqlConfig config, ProblemShape shape) {
    return create(config, shape, Engine.getInstance().defaultDevice());
  }

  /** A freshly initialised agent whose tensors live on {@code device}. */
  public static DtqlAgent create(DtqlConfig config, ProblemShape shape, Device device) {
    return new DtqlAgent(config, shape, null, device);
  }

  /** An agent that continues exactly from {@code state} (taken by {@link #exportState}). */
  public static DtqlAgent restore(DtqlConfig config, ProblemShape shape, AgentState state) {
    return restore(config, shape, state, Engine.getInstance().defaultDevice());
  }

  /** As {@link #restore(DtqlConfig, ProblemShape, AgentState)}, on {@code device}. */
  public static DtqlAgent restore(
      DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
    if (state == null) {
      throw new IllegalArgumentException("agent state must not be null");
    }
    return new DtqlAgent(config, shape, state, device);
  }

  /**
   * For the critic and BC optimisers, which also run during pretraining: the base rate while
   * pretraining, then (with lr-decay) cosine to 0 over the training steps, as the reference steps
   * its schedulers only in training.
   */
  private LearningRateSchedule trainingPhaseSchedule(double rate) {
    return config.lrDecay()
        ? LearningRateSchedule.cosineAfter(rate, config.pretrainSteps(), config.trainSteps())
        : LearningRateSchedule.constant(rate);
  }

  private static long counter(Map<String, Long> counters, String name, boolean restoring) {
    Long v = counters.get(Adam.counterName(name));
    if (v == null) {
      if (restoring) {
        throw new IllegalArgumentException(
            "agent state has no counter '" + Adam.counterName(name) + "'");
      }
      return 0;
    }
    return v;
  }

  @Override
  public long step() {
    return step;
  }

  public DtqlConfig config() {
    return config;
  }

  @Override
  public ProblemShape shape() {
    return shape;
  }

  @Override
  public Optional<ActionSelector> actionSelector() {
    return Optional.of(this);
  }

  /**
   * Native arrays held between steps (parameters, targets, moments, detached views, counted through
   * every sub-manager of the agent's root): must stay constant across steps.
   */
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
    Map<String, Double> metrics = new LinkedHashMap<>();
    RandomGenerator noise =
        new SplittableRandom(RandomStreams.mix(config.seed() ^ NOISE_STREAM, step));
    int b = batch.size();
    try (NDManager sm = root.newSubManager()) {
      NDArray states = sm.create(batch.observations(), new Shape(b, shape.obsDim()));
      NDArray actions = sm.create(batch.actions(), new Shape(b, shape.actDim()));
      NDArray nextStates = sm.create(batch.nextObservations(), new Shape(b, shape.obsDim()));
      NDArray rewards = sm.create(batch.rewards(), new Shape(b, 1));
      float[] notDone = new float[b];
      for (int i = 0; i < b; i++) {
        notDone[i] = (float) ((1 - batch.dones()[i]) * config.discount());
      }
      NDArray notDoneDiscount = sm.create(notDone, new Shape(b, 1));

      long t0 = System.nanoTime();
      updateCritic(states, actions, rewards, nextStates, notDoneDiscount, metrics);
      long t1 = System.nanoTime();
      updateBehaviourCloning(sm, states, actions, noise, metrics);
      long t2 = System.nanoTime();
      if (step >= config.pretrainSteps()) {
        updateActor(sm, states, batch.actions(), noise, metrics);
      }
      long t3 = System.nanoTime();
      updateTargetCritic(sm);
      long t4 = System.nanoTime();
      metrics.put("timing/critic_ms", (t1 - t0) / 1e6);
      metrics.put("timing/bc_ms", (t2 - t1) / 1e6);
      metrics.put("timing/actor_ms", (t3 - t2) / 1e6);
      metrics.put("timing/target_ms", (t4 - t3) / 1e6);
    }
    step++;
    return new StepMetrics(step, metrics);
  }

  private void updateCritic(
      NDArray states,
      NDArray actions,
      NDArray rewards,
      NDArray nextStates,
      NDArray notDoneDiscount,
      Map<String, Double> metrics) {
    NDArray qLoss;
    NDArray valueLoss;
    NDArray qMin;
    NDArray v;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList q = critic.forward(states.concat(actions, 1)); // 2 x (B, 1)
      qMin = q.get(0).minimum(q.get(1)).stopGradient(); // (B, 1)
      v = value.forward(states); // (B, 1)
      valueLoss = DtqlLosses.expectile(qMin.sub(v), config.expectile());
      NDArray vNext = value.forwardConstant(nextStates); // (B, 1), no graph
      NDArray target = DtqlLosses.qTarget(rewards, notDoneDiscount, vNext);
      qLoss = DtqlLosses.mse(q.get(0), target).add(DtqlLosses.mse(q.get(1), target));
      gc.backward(valueLoss.add(qLoss));
    }
    // One copy to Java for all four scalars instead of one per scalar.
    float[] scalars =
        NDArrays.stack(new NDList(qLoss, valueLoss, qMin.mean(), v.mean())).toFloatArray();
    metrics.put("losses/critic", finite("critic", scalars[0], criticOptim));
    metrics.put("losses/value", finite("value", scalars[1], criticOptim));
    metrics.put("values/q_mean", (double) scalars[2]);
    metrics.put("values/v_mean", (double) scalars[3]);
    metrics.put("charts/lr_critic", criticOptim.step());
  }

  private void updateBehaviourCloning(
      NDManager sm,
      NDArray states,
      NDArray actions,
      RandomGenerator noise,
      Map<String, Double> metrics) {
    int b = (int) actions.getShape().get(0);
    EdmDiffusion.NoiseDraw draw = EdmDiffusion.draw(noise, b, shape.actDim());
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      loss =
          EdmDiffusion.behaviourCloningLoss(
              behaviour, actions, states, draw, shape.maxAction(), sm);
      gc.backward(loss);
    }
    metrics.put("losses/bc", finite("bc", loss, behaviourOptim));
    metrics.put("charts/lr_bc", behaviourOptim.step());
  }

  private void updateActor(
      NDManager sm,
      NDArray states,
      float[] dataActions,
      RandomGenerator noise,
      Map<String, Double> metrics) {
    int b = (int) states.getShape().get(0);
    int act = shape.actDim();
    NDArray eps = sm.create(RandomStreams.gaussian(noise, b * act), new Shape(b, act));
    EdmDiffusion.NoiseDraw draw = EdmDiffusion.draw(noise, b, act);
    NDArray loss;
    NDArray trustRegion;
    NDArray nll = null;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      GaussianActor.Heads heads = actor.heads(states);
      NDArray pi = actor.sample(heads, eps); // (B, act)
      trustRegion =
          EdmDiffusion.trustRegionLoss(behaviour, pi, states, draw, shape.maxAction(), sm);
      NDArray qPi = critic.minFrozen(states.concat(pi, 1)); // (B, 1)
      if (config.gamma() > 0) {
        NDArray preTanh = sm.create(actor.preTanh(dataActions), new Shape(b, act));
        nll = actor.logProb(heads, preTanh).mean().neg();
      }
      loss = DtqlLosses.actorObjective(trustRegion, qPi, nll, config.alpha(), config.gamma(), sm);
      gc.backward(loss);
    }
    metrics.put("losses/actor", finite("actor", loss, actorOptim));
    metrics.put("losses/trust_region", finite("trust_region", trustRegion, actorOptim));
    if (nll != null) {
      metrics.put("losses/nll", finite("nll", nll, actorOptim));
    }
    metrics.put("charts/lr_actor", actorOptim.step());
  }

  private void updateTargetCritic(NDManager sm) {
    Polyak.update(List.of(targetFlat), List.of(onlineQFlat), config.targetTau(), sm);
  }

  /**
   * The loss as a Java number, or a NonFiniteLossException before {@code optim} applies it; the
   * gradients its backward pass left behind are discarded so the agent stays usable.
   */
  private double finite(String name, NDArray loss, Adam optim) {
    return finite(name, loss.getFloat(), optim);
  }

  private double finite(String name, float value, Adam optim) {
    double v = value;
    if (!Double.isFinite(v)) {
      optim.discardGradients();
      throw new NonFiniteLossException(name, step, v);
    }
    return v;
  }

  /**
   * Actions for {@code numStates} states ({@code observations} is [numStates * obsDim]); returns
   * [numStates * actDim]. REFERENCE: numCandidates samples of pi per state, scored by the target
   * critic's min(Q1, Q2), one drawn from softmax(Q); DETERMINISTIC: tanh(mean) * maxAction. Draws
   * from the agent's own selection stream, seeded once from the config's seed.
   */
  public float[] selectActions(float[] observations, int numStates, SelectionMode mode) {
    return selectActions(observations, numStates, mode, selectionRandom);
  }

  /** As {@link #selectActions(float[], int, SelectionMode)}, drawing from {@code random}. */
  @Override
  public float[] selectActions(
      float[] observations, int numStates, SelectionMode mode, RandomGenerator random) {
    return selection.select(observations, numStates, mode, random);
  }

  @Override
  public AgentState exportState() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put(Adam.counterName(CRITIC), criticOptim.updates());
    counters.put(Adam.counterName(BC), behaviourOptim.updates());
    counters.put(Adam.counterName(ACTOR), actorOptim.updates());
    return new AgentState(step, store.export(), counters);
  }

  /** Multiply-accumulates per batch row of one forward pass of each network (for FLOP counts). */
  public Map<String, Long> macsPerRow() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("twin_q", critic.macsPerRow());
    m.put("value", value.macsPerRow());
    m.put("score", behaviour.macsPerRow());
    m.put("actor", actor.macsPerRow());
    return m;
  }

  @Override
  public void close() {
    store.close();
    root.close();
  }
}
