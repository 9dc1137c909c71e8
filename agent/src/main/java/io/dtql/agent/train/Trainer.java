package io.dtql.agent.train;

import ai.djl.Device;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains DTQL runs: the one way in that {@code dtql train}, the quickstart and tests share. {@link
 * #prepare} (a new run) or {@link #prepareResume} (a run continued from its checkpoint) loads the
 * dataset and creates or updates the run directory and its {@code config.json}; {@link
 * Prepared#train} then runs the training loop. They are two calls so that a caller can say where
 * the run is before the (long) training starts.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final AgentFactory agents;
  private final DatasetSource datasets;

  /**
   * @param agents builds (or restores) the agent a run trains
   * @param datasets reads a run's dataset
   */
  public Trainer(AgentFactory agents, DatasetSource datasets) {
    this.agents = Objects.requireNonNull(agents, "agents");
    this.datasets = Objects.requireNonNull(datasets, "datasets");
  }

  /** Where a new run's directory goes. */
  @FunctionalInterface
  public interface Placement {
    RunDirectory create(DtqlConfig config) throws IOException;

    /**
     * A directory of its own under {@code parent}, named after the run's preset, seed and start
     * time (see {@link RunDirectory#create}).
     */
    static Placement under(Path parent) {
      return config ->
          RunDirectory.create(parent, config.preset(), config.seed(), LocalDateTime.now());
    }

    /** {@code directory} itself (see {@link RunDirectory#createAt}). */
    static Placement at(Path directory) {
      return config -> RunDirectory.createAt(directory);
    }
  }

  /**
   * A new run.
   *
   * @param dataset D4RL .hdf5 file or Minari dataset directory
   * @param config the resolved configuration (see {@link #resolveConfig})
   * @param shape the problem shape the agent is built for
   * @param outputs checkpoint, logging and evaluation settings, recorded in {@code config.json}
   * @param placement where the run directory goes
   */
  public record NewRun(
      Path dataset,
      DtqlConfig config,
      ProblemShape shape,
      OutputSettings outputs,
      Placement placement) {
    public NewRun {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(outputs, "outputs");
      Objects.requireNonNull(placement, "placement");
    }
  }

  /**
   * A preset's configuration with command-line style changes, applied in this order: {@code sets}
   * (kebab-case field names), the seed, and a training-step budget. A budget of N steps sets
   * train-steps to N and, unless {@code sets} fixes pretrain-steps, scales pretraining to keep the
   * base's ratio (the locomotion presets' 50,000 of 1,000,000: 5%, rounded).
   *
   * @throws IllegalArgumentException an unknown field or a value out of range (the message names
   *     it)
   */
  public static DtqlConfig resolveConfig(
      DtqlConfig base, Map<String, String> sets, OptionalLong seed, OptionalLong trainSteps) {
    Map<String, String> overrides = new LinkedHashMap<>(sets);
    seed.ifPresent(s -> overrides.put("seed", Long.toString(s)));
    if (trainSteps.isPresent()) {
      long steps = trainSteps.getAsLong();
      overrides.put("train-steps", Long.toString(steps));
      if (!sets.containsKey("pretrain-steps") && steps > 0) {
        long pretrain = Math.round((double) base.pretrainSteps() * steps / base.trainSteps());
        overrides.put("pretrain-steps", Long.toString(pretrain));
        LOG.info(
            "{} training steps: pretraining scaled to {} (the preset's ratio)", steps, pretrain);
      }
    }
    return ConfigFields.withOverrides(base, overrides);
  }

  /**
   * Loads the dataset, then creates the run directory and writes its {@code config.json}. Nothing
   * is created when the dataset cannot be read.
   *
   * @throws io.dtql.agent.data.DatasetException the dataset is missing, damaged or of other sizes
   */
  public Prepared prepare(NewRun request, Device device) throws IOException {
    DtqlConfig config = request.config();
    Transitions transitions = load(request.dataset(), request.shape(), config);
    DatasetFingerprint fingerprint = DatasetFingerprint.of(request.dataset());
    RunDirectory run = request.placement().create(config);
    run.writeRecord(
        new RunRecord(
            config,
            request.shape(),
            request.dataset(),
            Optional.of(fingerprint),
            request.outputs()),
        device.toString(),
        Optional.empty());
    return new Prepared(
        config, request.shape(), transitions, run, Optional.empty(), device, request.outputs());
  }

  /**
   * Loads a resumed run's dataset and records the resume in its run directory (or, for a checkpoint
   * outside one, starts a new run directory under {@code outputDir}; see {@link
   * ResumePlanner#openRun}).
   */
  public Prepared prepareResume(
      ResumePlan plan, OutputSettings outputs, Device device, Path outputDir) throws IOException {
    Transitions transitions = load(plan.dataset(), plan.shape(), plan.config());
    RunDirectory run = ResumePlanner.openRun(plan, outputs, device.toString(), outputDir);
    return new Prepared(
        plan.config(),
        plan.shape(),
        transitions,
        run,
        Optional.of(plan.checkpoint()),
        device,
        outputs);
  }

  private Transitions load(Path path, ProblemShape shape, DtqlConfig config) {
    Transitions transitions = datasets.load(path, shape);
    if (config.rewardShift() != 0) {
      transitions = transitions.withRewardShift(config.rewardShift());
    }
    LOG.info("dataset {}: {} transitions", path, transitions.size());
    return transitions;
  }

  /** A run ready to train: its data loaded, its directory and {@code config.json} written. */
  public final class Prepared {
    private final DtqlConfig config;
    private final ProblemShape shape;
    private final Transitions transitions;
    private final RunDirectory run;
    private final Optional<CheckpointFile> resumeFrom;
    private final Device device;
    private final OutputSettings outputs;

    private Prepared(
        DtqlConfig config,
        ProblemShape shape,
        Transitions transitions,
        RunDirectory run,
        Optional<CheckpointFile> resumeFrom,
        Device device,
        OutputSettings outputs) {
      this.config = config;
      this.shape = shape;
      this.transitions = transitions;
      this.run = run;
      this.resumeFrom = resumeFrom;
      this.device = device;
      this.outputs = outputs;
    }

    public RunDirectory run() {
      return run;
    }

    public DtqlConfig config() {
      return config;
    }

    public Device device() {
      return device;
    }

    /** The step training starts from: 0, or the resumed checkpoint's. */
    public long startStep() {
      return resumeFrom.map(CheckpointFile::step).orElse(0L);
    }

    /**
     * Trains to the config's end step (or until {@code stop} is requested or {@code timeLimit}
     * passes, each ending after the current step with a checkpoint).
     *
     * @param progress opens the reporter that shows progress
     * @param stop asks the loop to stop early (e.g. from a Ctrl-C hook)
     * @param callback called on its schedule, e.g. evaluation during training
     * @param timeLimit wall time this process may train for; empty for no limit
     * @throws io.dtql.agent.dtql.NonFiniteLossException a loss turned NaN or infinite
     */
    public TrainingOutcome train(
        ProgressReporter.Factory progress,
        StopSignal stop,
        ScheduledCallback callback,
        Optional<Duration> timeLimit)
        throws IOException {
      return TrainingSession.run(
          new TrainingSession.Plan(
              config, shape, transitions, run, resumeFrom, device, outputs, progress, timeLimit),
          agents,
          stop,
          callback);
    }
  }
}
