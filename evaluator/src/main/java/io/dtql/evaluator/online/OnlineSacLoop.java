package io.dtql.evaluator.online;

import com.google.gson.JsonObject;
import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.RandomStreams;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.sac.ReplayBuffer;
import io.dtql.agent.sac.ReplayLog;
import io.dtql.agent.sac.SacAgent;
import io.dtql.agent.sac.SacCheckpoint;
import io.dtql.agent.train.JsonlMetricsWriter;
import io.dtql.agent.train.MetricsRow;
import io.dtql.agent.train.ProgressReporter;
import io.dtql.agent.train.SplitMix64;
import io.dtql.agent.train.StopSignal;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.evaluator.BehaviourPolicies;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online SAC against a remote (or local) simulator: act in a vector environment, store transitions
 * in the replay buffer, one gradient update per environment step once the random warm-up is over,
 * evaluate and snapshot the actor every {@code evalEvery} steps, checkpoint every {@code
 * checkpointEvery} steps. The learner ({@link SacAgent}) only sees batches; this class is the only
 * part that talks to the environment.
 *
 * <p>Resuming restores the agent, the replay buffer (from the replay log, cut back to the
 * checkpoint's row count), the batch sampler and the counters; episodes that were running when the
 * process stopped are lost, and the resumed run starts fresh episodes with seeds derived from the
 * run seed and the step count.
 *
 * <p>A run carried to another machine with its checkpoint but without its replay log (hundreds of
 * megabytes, too large to carry) can continue only by refilling: the buffer is refilled with {@code
 * refillRows} environment steps of the current policy before updates resume. That run is no longer
 * the one an uninterrupted run would have been, so it happens only when asked for and is recorded
 * in run.json ({@code replay_refills}) and the checkpoints ({@code updates_from}).
 */
public final class OnlineSacLoop {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineSacLoop.class);
  private static final long EXPLORATION_STREAM = 0x1B873593L;
  private static final long ENV_SEED_STREAM = 0x68E31DA4L;
  private static final long EVAL_SEED = 1_000_000L;
  private static final long LOG_EVERY = 1_000;
  private static final String UPDATES_FROM = "updates_from";

  /** How a call ended. */
  public record Outcome(
      long envSteps, long updates, boolean stopped, Optional<EvaluationSummary> lastEvaluation) {}

  private final EnvClient client;
  private final SacRunDirectory run;
  private final SacRunDirectory.Description description;
  private final ProgressReporter.Factory progress;
  private final StopSignal stop;
  private final long refillRows;

  /**
   * @param refillRows if the run's replay log is missing on resume, refill the buffer with this
   *     many steps of the current policy before updating again; 0 makes a missing log an error
   */
  public OnlineSacLoop(
      EnvClient client,
      SacRunDirectory run,
      ProgressReporter.Factory progress,
      StopSignal stop,
      long refillRows)
      throws IOException {
    if (refillRows < 0) {
      throw new IllegalArgumentException("refill rows must be >= 0, got " + refillRows);
    }
    this.client = client;
    this.run = run;
    this.description = run.read();
    this.progress = progress;
    this.stop = stop;
    this.refillRows = refillRows;
  }

  /** The action bound of a task whose action box is [-m, m] in every dimension. */
  static float maxAction(TaskSpec spec) {
    double m = spec.action().high()[0];
    for (int i = 0; i < spec.actDim(); i++) {
      if (spec.action().high()[i] != m || spec.action().low()[i] != -m || !(m > 0)) {
        throw new IllegalArgumentException(
            "task "
                + spec.taskId()
                + " has action bounds that are not one symmetric [-m, m] box; SAC here needs one");
      }
    }
    return (float) m;
  }

  /** Runs (or continues) until the run's env-steps, a stop request or an error. */
  public Outcome run() throws IOException {
    String task = description.task();
    OnlineSettings settings = description.settings();
    Optional<Path> latest = run.checkpoints(settings.keepCheckpoints()).latest();
    SacCheckpoint checkpoint = latest.isPresent() ? SacCheckpoint.read(latest.get()) : null;
    if (checkpoint != null && !checkpoint.task().equals(task)) {
      throw new IOException(
          latest.get() + " is a checkpoint of task " + checkpoint.task() + ", the run is " + task);
    }
    long envSteps = checkpoint == null ? 0 : checkpoint.loopCounter("env_steps");
    long seed = description.config().seed();
    // A resumed run starts fresh episodes with seeds of their own (31 bits: any server takes them).
    long sessionSeed =
        checkpoint == null ? seed : RandomStreams.mix(seed ^ ENV_SEED_STREAM, envSteps) >>> 33;
    int numEnvs = settings.numEnvs();
    try (VectorEnv env = client.createSession(task, SessionOptions.of(numEnvs, sessionSeed))) {
      TaskSpec spec = env.spec();
      ProblemShape shape = new ProblemShape(spec.obsDim(), spec.actDim(), maxAction(spec));
      if (checkpoint != null && !checkpoint.shape().equals(shape)) {
        throw new IOException(
            latest.get() + " was made for " + checkpoint.shape() + ", the task now has " + shape);
      }
      ReplayBuffer replay =
          new ReplayBuffer(shape.obsDim(), shape.actDim(), settings.replayCapacity());
      ReplayLog log;
      long updatesFrom =
          checkpoint == null ? 0 : checkpoint.loopCounters().getOrDefault(UPDATES_FROM, 0L);
      if (checkpoint == null) {
        Files.deleteIfExists(run.replayLog()); // left by a run killed before its first checkpoint
        log = ReplayLog.create(run.replayLog(), shape.obsDim(), shape.actDim());
      } else if (!Files.exists(run.replayLog())) {
        long rows = checkpoint.loopCounter("replay_rows");
        if (refillRows == 0) {
          throw new IOException(
              run.replayLog()
                  + " is missing: the checkpoint at "
                  + envSteps
                  + " env steps needs its "
                  + rows
                  + " replay rows. To continue without them (a run carried to another machine),"
                  + " resume with --refill-replay ROWS: the buffer is refilled with ROWS steps of"
                  + " the current policy before updates continue, so the run is no longer the one"
                  + " an uninterrupted run would have been");
        }
        log = ReplayLog.create(run.replayLog(), shape.obsDim(), shape.actDim());
        updatesFrom = envSteps + refillRows;
        run.recordRefill(envSteps, rows, refillRows);
        LOG.warn(
            "{}: no replay log; refilling the buffer with {} steps of the current policy (the"
                + " checkpoint had {} rows), updates continue after {} env steps",
            run.path(),
            refillRows,
            rows,
            updatesFrom);
      } else {
        log = ReplayLog.resume(run.replayLog(), checkpoint.loopCounter("replay_rows"), replay);
        LOG.info(
            "resumed {} at {} env steps with {} replay rows", run.path(), envSteps, replay.size());
      }
      try (log;
          SacAgent agent =
              checkpoint == null
                  ? SacAgent.create(description.config(), shape)
                  : SacAgent.restore(description.config(), shape, checkpoint.agentState())) {
        State state =
            new State(
                env,
                spec,
                agent,
                replay,
                log,
                envSteps,
                checkpoint == null
                    ? SplitMix64.forSeed(seed)
                    : new SplitMix64(checkpoint.loopCounter("sampler_state")),
                checkpoint == null ? 0 : checkpoint.loopCounter("episodes"),
                checkpoint == null ? 0 : checkpoint.trainingSeconds(),
                updatesFrom);
        return loop(state);
      }
    }
  }

  /** Everything that changes while the loop runs. */
  private static final class State {
    final VectorEnv env;
    final TaskSpec spec;
    final SacAgent agent;
    final ReplayBuffer replay;
    final ReplayLog log;
    final SplitMix64 sampler;
    final long updatesFrom;
    long envSteps;
    long episodes;
    final double secondsBefore;
    final long startNanos = System.nanoTime();
    final Map<String, Double> windowSums = new HashMap<>();
    int windowUpdates;
    double windowReturnSum;
    int windowEpisodes;
    EvaluationSummary lastEvaluation;

    State(
        VectorEnv env,
        TaskSpec spec,
        SacAgent agent,
        ReplayBuffer replay,
        ReplayLog log,
        long envSteps,
        SplitMix64 sampler,
        long episodes,
        double secondsBefore,
        long updatesFrom) {
      this.env = env;
      this.spec = spec;
      this.agent = agent;
      this.replay = replay;
      this.log = log;
      this.envSteps = envSteps;
      this.sampler = sampler;
      this.episodes = episodes;
      this.secondsBefore = secondsBefore;
      this.updatesFrom = updatesFrom;
    }

    double seconds() {
      return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }
  }

  private Outcome loop(State s) throws IOException {
    OnlineSettings settings = description.settings();
    int n = s.env.numEnvs();
    int obsDim = s.spec.obsDim();
    int actDim = s.spec.actDim();
    float maxAction = s.agent.shape().maxAction();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    float[] obs = new float[n * obsDim];
    float[] nextObs = new float[n * obsDim];
    double[] episodeReturn = new double[n];
    copy(s.env.reset(all, null).observations(), obs);
    long startSteps = s.envSteps;
    long lastLogSteps = s.envSteps;
    long lastLogNanos = System.nanoTime();
    boolean stopped = false;
    try (ProgressReporter reporter =
            progress.open(
                "sac " + description.task(), "env-step", s.envSteps, settings.envSteps());
        JsonlMetricsWriter metrics = JsonlMetricsWriter.open(run.metrics(), s.envSteps)) {
      while (s.envSteps < settings.envSteps()) {
        if (stop.isRequested()) {
          stopped = true;
          break;
        }
        SplittableRandom explore =
            new SplittableRandom(
                RandomStreams.mix(description.config().seed() ^ EXPLORATION_STREAM, s.envSteps));
        float[] actions =
            s.envSteps < settings.randomSteps()
                ? uniform(explore, n * actDim, maxAction)
                : s.agent.act(obs, n, explore);
        StepResult step = s.env.step(all, actions);
        copy(step.observations(), nextObs);
        int[] ended = new int[n];
        int endedCount = 0;
        for (int j = 0; j < n; j++) {
          boolean terminated = step.terminated()[j];
          float reward = (float) step.rewards()[j];
          s.replay.add(
              obs, j * obsDim, actions, j * actDim, reward, nextObs, j * obsDim, terminated);
          s.log.append(
              obs, j * obsDim, actions, j * actDim, reward, nextObs, j * obsDim, terminated);
          episodeReturn[j] += step.rewards()[j];
          if (step.episodeEnded(j)) {
            s.windowReturnSum += episodeReturn[j];
            s.windowEpisodes++;
            s.episodes++;
            episodeReturn[j] = 0;
            ended[endedCount++] = j;
          }
        }
        System.arraycopy(nextObs, 0, obs, 0, obs.length);
        if (endedCount > 0) {
          int[] ids = java.util.Arrays.copyOf(ended, endedCount);
          io.dtql.envbridge.ResetResult reset = s.env.reset(ids, null);
          for (int k = 0; k < ids.length; k++) {
            for (int d = 0; d < obsDim; d++) {
              obs[ids[k] * obsDim + d] = (float) reset.observations()[k * obsDim + d];
            }
          }
        }
        long before = s.envSteps;
        s.envSteps += n;
        if (s.envSteps > settings.randomSteps() && s.envSteps > s.updatesFrom) {
          for (int u = 0; u < n; u++) {
            StepMetrics m =
                s.agent.update(s.replay.sample(s.agent.config().batchSize(), s.sampler));
            m.values().forEach((k, v) -> s.windowSums.merge(k, v, Double::sum));
            s.windowUpdates++;
          }
        }
        reporter.stepTo(s.envSteps);
        if (crossed(before, s.envSteps, settings.evalEvery())) {
          evaluate(s);
        }
        if (crossed(before, s.envSteps, LOG_EVERY) || s.envSteps >= settings.envSteps()) {
          long now = System.nanoTime();
          double rate = (s.envSteps - lastLogSteps) / ((now - lastLogNanos) / 1e9);
          Map<String, Double> row = windowRow(s);
          metrics.record(new MetricsRow(s.envSteps, s.seconds(), rate, row));
          reporter.summary(rate, row);
          lastLogSteps = s.envSteps;
          lastLogNanos = now;
        }
        if (crossed(before, s.envSteps, settings.checkpointEvery())) {
          saveCheckpoint(s);
        }
      }
      if (s.envSteps > startSteps && s.envSteps % settings.checkpointEvery() != 0) {
        saveCheckpoint(s); // the final or interrupted position
      }
    }
    return new Outcome(s.envSteps, s.agent.step(), stopped, Optional.ofNullable(s.lastEvaluation));
  }

  private static boolean crossed(long before, long after, long every) {
    return before / every != after / every;
  }

  private static void copy(double[] from, float[] to) {
    for (int i = 0; i < to.length; i++) {
      to[i] = (float) from[i];
    }
  }

  private static float[] uniform(SplittableRandom rng, int n, float maxAction) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rng.nextDouble() * 2 - 1) * maxAction);
    }
    return a;
  }

  /** Window means of the update metrics and episode returns since the last row, then a reset. */
  private static Map<String, Double> windowRow(State s) {
    Map<String, Double> row = new LinkedHashMap<>();
    if (s.windowUpdates > 0) {
      s.windowSums.forEach((k, v) -> row.put(k, v / s.windowUpdates));
    }
    if (s.windowEpisodes > 0) {
      row.put("episodes/return_mean", s.windowReturnSum / s.windowEpisodes);
    }
    row.put("episodes/count", (double) s.episodes);
    row.put("charts/updates", (double) s.agent.step());
    if (s.lastEvaluation != null) {
      row.put("eval/return_mean", s.lastEvaluation.meanReturn());
      s.lastEvaluation.meanNormalized().ifPresent(v -> row.put("eval/normalized_mean", v));
    }
    s.windowSums.clear();
    s.windowUpdates = 0;
    s.windowReturnSum = 0;
    s.windowEpisodes = 0;
    return row;
  }

  /**
   * Evaluates the current actor with deterministic actions (the plain-Java policy a collection
   * would use) and saves it as a snapshot carrying its score.
   */
  private void evaluate(State s) throws IOException {
    ProblemShape shape = s.agent.shape();
    JsonObject meta =
        BehaviourPolicyFile.describe(
            description.task(), shape.obsDim(), shape.actDim(), shape.maxAction());
    BehaviourPolicyFile file = new BehaviourPolicyFile(meta, s.agent.actorWeights());
    BehaviourPolicy policy = file.policy();
    OnlineSettings settings = description.settings();
    EvaluationSummary summary =
        Evaluator.evaluate(
            client,
            description.task(),
            spec -> BehaviourPolicies.mean(policy),
            new EvaluationOptions(
                settings.evalEpisodes(),
                Math.min(settings.evalEpisodes(), 10),
                EVAL_SEED + description.config().seed()),
            e -> {});
    s.lastEvaluation = summary;
    meta.addProperty("env_steps", s.envSteps);
    meta.addProperty("updates", s.agent.step());
    meta.addProperty("seed", description.config().seed());
    meta.addProperty("eval_episodes", summary.episodes().size());
    meta.addProperty("eval_return_mean", summary.meanReturn());
    meta.addProperty("eval_return_std", summary.stdReturn());
    summary.meanNormalized().ifPresent(v -> meta.addProperty("eval_normalized_mean", v));
    meta.addProperty("eval_actions", "mean");
    meta.addProperty("simulator_version", s.spec.simulatorVersion());
    meta.addProperty("model_sha256", s.spec.modelSha256());
    new BehaviourPolicyFile(meta, file.actor()).write(run.snapshot(s.envSteps));
    LOG.info(
        "{} env steps: evaluation return {} +- {}{}",
        s.envSteps,
        String.format("%.1f", summary.meanReturn()),
        String.format("%.1f", summary.stdReturn()),
        summary.meanNormalized().map(v -> String.format(" (normalised %.1f)", v)).orElse(""));
  }

  private void saveCheckpoint(State s) throws IOException {
    long rows = s.log.sync(); // the rows this checkpoint owns are on disk before it names them
    Map<String, Long> loop = new LinkedHashMap<>();
    loop.put("env_steps", s.envSteps);
    loop.put("replay_rows", rows);
    loop.put("episodes", s.episodes);
    loop.put("sampler_state", s.sampler.state());
    loop.put(UPDATES_FROM, s.updatesFrom);
    SacCheckpoint checkpoint =
        new SacCheckpoint(
            description.task(),
            description.config(),
            s.agent.shape(),
            s.agent.exportState(),
            loop,
            s.seconds());
    run.checkpoints(description.settings().keepCheckpoints()).save(s.envSteps, checkpoint::write);
  }
}
