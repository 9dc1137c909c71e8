package io.dtql.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.preset.Preset;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.train.AgentFactory;
import io.dtql.agent.train.DatasetSource;
import io.dtql.agent.train.OutputSettings;
import io.dtql.agent.train.ResumeConflictException;
import io.dtql.agent.train.ResumePlan;
import io.dtql.agent.train.ResumePlanner;
import io.dtql.agent.train.ResumeRequest;
import io.dtql.agent.train.RunRecord;
import io.dtql.agent.train.ScheduledCallback;
import io.dtql.agent.train.StopSignal;
import io.dtql.agent.train.Trainer;
import io.dtql.agent.train.TrainingOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains DTQL on an offline dataset with a named preset, writing a run directory
 * with the resolved config, metrics and checkpoints; {@code --resume} continues a run exactly, with
 * the dataset and settings recorded in its config.json (see {@link ResumePlanner}), and {@code
 * --resume RUN --steps N} extends it.
 *
 * <p>Training itself goes through {@link Trainer}, the library API the quickstart and tests call
 * too; this command turns flags into its requests and reports.
 *
 * <p>Exit codes: 0 done (or stopped at the --minutes limit), 1 a file could not be used (damaged
 * dataset or checkpoint, checkpoint of another run, a dataset that differs from the one the resumed
 * run was trained on) or training failed, 2 bad command line (including a flag that contradicts the
 * resumed run), 130 stopped early by Ctrl-C after saving a checkpoint. Errors are reported by
 * {@link CliErrors}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Train DTQL on a D4RL .hdf5 file or a Minari dataset directory.")
final class TrainCommand implements Callable<Integer> {
  private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(2);

  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      paramLabel = "PATH",
      description =
          "D4RL .hdf5 file or Minari dataset directory. With --resume: only if the run's data"
              + " moved (it must be the same data).")
  Path dataset;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description = "Dataset preset (see --list-presets). Required unless --resume.")
  String presetName;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Gradient steps after pretraining (default: the preset's, 1,000,000 for locomotion)."
              + " Unless pretrain-steps is --set, pretraining is scaled to keep the preset's"
              + " ratio; the run ends at pretraining + N. With --resume: a larger N extends the"
              + " run.")
  Long steps;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      description =
          "Stop training after M minutes in this process (a decimal, e.g. 90 or 0.5), after the"
              + " current step and with a checkpoint, even before the last step; exits 0 and"
              + " --resume continues (default: no limit).")
  Double minutes;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      defaultValue = "runs",
      description = "Parent of run directories (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(
      names = "--device",
      converter = LowerCaseEnumConverter.Devices.class,
      paramLabel = "cpu|gpu|auto",
      defaultValue = "auto",
      description =
          "Where tensors live: cpu, gpu (the first GPU) or auto, the first GPU the PyTorch engine"
              + " finds, else the CPU (default: ${DEFAULT-VALUE}; the CPU with the default CPU"
              + " natives).")
  DeviceChoice device;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of every random draw, same as --set seed=N (default: the preset's).")
  Long seed;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "K",
      description =
          "Checkpoint every K steps, and always at the end; 0 = only at the end (default: 50000;"
              + " a resumed run keeps its own).")
  Long checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "K",
      description =
          "Keep the K newest checkpoints, deleting older ones once a newer is safely on disk;"
              + " 0 = keep all (default: 3; a resumed run keeps its own).")
  Integer keepCheckpoints;

  @Option(
      names = "--log-every",
      paramLabel = "K",
      description =
          "Write a metrics row every K steps (default: 1000; a resumed run keeps its own).")
  Long logEvery;

  @Option(
      names = "--eval-every",
      paramLabel = "K",
      description =
          "Evaluate the policy every K steps (a multiple of --log-every) and at the last step, on"
              + " the preset's task in the simulator, writing eval/return_mean, eval/return_std,"
              + " eval/normalized_mean, ... into that step's metrics row. Starts a local env"
              + " server for the run unless --target (default: no evaluation; a resumed run keeps"
              + " its own).")
  Long evalEvery;

  @Option(
      names = "--eval-episodes",
      paramLabel = "E",
      description =
          "Episodes per evaluation, stepped together (default: 10; a resumed run keeps its own).")
  Integer evalEpisodes;

  @Option(
      names = "--resume",
      paramLabel = "PATH",
      description =
          "Run directory or checkpoint file to continue from, with the dataset, preset and"
              + " settings in the run's config.json.")
  Path resume;

  @Option(
      names = "--force",
      description =
          "With --resume --steps: extend a run with lr-decay although its learning rates jump"
              + " (the cosine schedules are recomputed over the new total).")
  boolean force;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a config field, e.g. --set alpha=2 (repeatable; kebab-case names).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(
      names = "--metrics-format",
      converter = LowerCaseEnumConverter.MetricsFormats.class,
      paramLabel = "jsonl|csv",
      description =
          "metrics.jsonl is always written; csv also writes metrics.csv (default: jsonl; a resumed"
              + " run keeps its own).")
  MetricsFormat metricsFormat;

  @Option(
      names = "--tensorboard",
      negatable = true,
      description =
          "Also write TensorBoard event files into RUN_DIR/tensorboard/ (view with tensorboard"
              + " --logdir RUN_DIR/tensorboard); --no-tensorboard stops a resumed run writing"
              + " them (default: off; a resumed run keeps its own).")
  Boolean tensorBoard;

  @Option(
      names = "--progress",
      converter = LowerCaseEnumConverter.ProgressStyles.class,
      paramLabel = "auto|bar|lines|none",
      defaultValue = "auto",
      description =
          "Progress on stderr: a bar on a terminal, a plain line with every metric otherwise"
              + " (default: ${DEFAULT-VALUE}).")
  ProgressStyle progress;

  @Option(
      names = "--progress-every",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Seconds between plain progress lines (default: ${DEFAULT-VALUE}).")
  long progressEverySeconds;

  @Option(names = "--no-progress", description = "Show no progress (same as --progress none).")
  boolean noProgress;

  @Option(names = "--list-presets", description = "List the presets and exit.")
  boolean listPresets;

  /** Where evaluation during training runs (--eval-every); unused without it. */
  @Mixin SimulatorOptions simulator;

  private final AgentFactory agents;
  private final Trainer trainer;
  private final IntSupplier gpuCount;
  private final StopSignal stop;

  /** Set once training has a run directory; null before (or for --list-presets). */
  private Path runDirectory;

  private final PresetRegistry presets = PresetRegistry.bundled();

  /** The command as users run it: the DTQL agent, datasets from files, the real engine. */
  TrainCommand() {
    this(
        AgentFactories.dtql(),
        DatasetSource.files(),
        () -> Engine.getInstance().getGpuCount(),
        new StopSignal());
  }

  /** A command with its collaborators replaced, for tests. */
  TrainCommand(AgentFactory agents, DatasetSource datasets, IntSupplier gpuCount, StopSignal stop) {
    this.agents = agents;
    this.trainer = new Trainer(agents, datasets);
    this.gpuCount = gpuCount;
    this.stop = stop;
  }

  /** The run directory of the last training this command started, for callers that go on. */
  Optional<Path> runDirectory() {
    return Optional.ofNullable(runDirectory);
  }

  /** Runs the command and returns its exit code (no System.exit), as tests and the CLI do. */
  static int run(String... args) {
    return commandLine(new TrainCommand()).execute(args);
  }

  /** A picocli CommandLine for this command with dtql's error policy, for running it alone. */
  static CommandLine commandLine(TrainCommand command) {
    return CliErrors.install(new CommandLine(command));
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (listPresets) {
      printPresets(out);
      return 0;
    }
    ProgressOptions progressOptions = progressOptions();
    // A damaged dataset or checkpoint, another run's data or a diverged loss ends in CliErrors:
    // exit 1, one line naming the file (or the loss and step).
    return resume == null ? trainNew(out, progressOptions) : resume(out, progressOptions);
  }

  private int trainNew(PrintWriter out, ProgressOptions progressOptions) throws IOException {
    if (dataset == null) {
      throw usage("--dataset is required (or --resume RUN to continue a run)");
    }
    if (!Files.exists(dataset)) {
      throw usage("dataset " + dataset + " does not exist");
    }
    if (force) {
      throw usage("--force applies only to --resume with --steps");
    }
    Preset preset =
        loadPreset().orElseThrow(() -> usage("--preset is required unless --resume is given"));
    DtqlConfig config = resolveConfig(preset.config());
    OutputSettings outputs = outputSettings(OutputSettings.DEFAULTS);
    Optional<Duration> timeLimit = timeLimit();
    Device chosen = resolveDevice();

    try (EvaluationDuringTraining evaluation =
        EvaluationDuringTraining.open(
            outputs.evaluation(), simulator, config.preset(), preset.shape(), spec)) {
      Trainer.Prepared prepared =
          trainer.prepare(
              new Trainer.NewRun(
                  dataset, config, preset.shape(), outputs, Trainer.Placement.under(outputDir)),
              chosen);
      runDirectory = prepared.run().path();
      return runSession(
          out, prepared, progressOptions, evaluation.schedule(config.seed()), timeLimit);
    }
  }

  private int resume(PrintWriter out, ProgressOptions progressOptions) throws IOException {
    if (!Files.exists(resume)) {
      throw usage("--resume " + resume + ": no such checkpoint file or run directory");
    }
    ResumePlan plan;
    try {
      plan =
          ResumePlanner.plan(
              new ResumeRequest(
                  resume,
                  Optional.ofNullable(dataset),
                  Optional.ofNullable(presetName),
                  steps == null ? OptionalLong.empty() : OptionalLong.of(steps),
                  seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                  sets,
                  force));
    } catch (ResumeConflictException | IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    OutputSettings outputs =
        outputSettings(plan.record().map(RunRecord::outputs).orElse(OutputSettings.DEFAULTS));
    Optional<Duration> timeLimit = timeLimit();
    Device chosen = resolveDevice();
    try (EvaluationDuringTraining evaluation =
        EvaluationDuringTraining.open(
            outputs.evaluation(), simulator, plan.config().preset(), plan.shape(), spec)) {
      Trainer.Prepared prepared = trainer.prepareResume(plan, outputs, chosen, outputDir);
      runDirectory = prepared.run().path();
      return runSession(
          out, prepared, progressOptions, evaluation.schedule(plan.config().seed()), timeLimit);
    }
  }

  private int runSession(
      PrintWriter out,
      Trainer.Prepared prepared,
      ProgressOptions progressOptions,
      ScheduledCallback evaluation,
      Optional<Duration> timeLimit)
      throws IOException {
    out.println("run directory: " + prepared.run().path());
    out.println("device: " + prepared.device());
    out.flush();
    TrainingOutcome outcome;
    // On Ctrl-C the JVM exits as soon as the hook is released, so report before releasing it.
    StopSignal.Installed hook = stop.installShutdownHook(SHUTDOWN_GRACE);
    try {
      outcome = prepared.train(progressOptions, stop, evaluation, timeLimit);
      String ending =
          outcome.stoppedEarly()
              ? "stopped at step "
              : outcome.timeLimitReached()
                  ? "stopped at the --minutes limit at step "
                  : "finished at step ";
      out.println(ending + outcome.finalStep() + " of " + prepared.config().endStep());
      outcome.lastCheckpoint().ifPresent(file -> out.println("checkpoint: " + file));
      out.flush();
    } finally {
      hook.close();
    }
    return outcome.stoppedEarly() ? CliErrors.EXIT_STOPPED : 0;
  }

  /**
   * The base settings with the flags given on this command line applied. Simulator flags without
   * evaluation would be silently ignored, so they are refused.
   */
  private OutputSettings outputSettings(OutputSettings base) {
    if (evalEvery != null && evalEvery < 1) {
      throw usage("--eval-every must be >= 1, got " + evalEvery);
    }
    OutputSettings outputs;
    try {
      outputs =
          base.with(
              checkpointEvery,
              keepCheckpoints,
              logEvery,
              metricsFormat == null ? null : metricsFormat == MetricsFormat.CSV,
              tensorBoard,
              evalEvery,
              evalEpisodes);
    } catch (IllegalArgumentException e) {
      throw usage("--" + e.getMessage());
    }
    if (!outputs.evaluation().enabled()) {
      if (evalEpisodes != null) {
        throw usage("--eval-episodes applies only with --eval-every");
      }
      if (!simulator.targets.isEmpty()
          || simulator.tlsCa != null
          || !simulator.serverArgs.isEmpty()) {
        throw usage("--target, --tls-ca and --server-arg apply only with --eval-every");
      }
    }
    return outputs;
  }

  private ProgressOptions progressOptions() {
    try {
      return new ProgressOptions(
          noProgress ? ProgressStyle.NONE : progress, Duration.ofSeconds(progressEverySeconds));
    } catch (IllegalArgumentException e) {
      throw usage("--" + e.getMessage());
    }
  }

  private Optional<Preset> loadPreset() {
    if (presetName == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(presets.load(presetName));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The base config with --set, --seed and --steps applied, in that order. */
  private DtqlConfig resolveConfig(DtqlConfig base) {
    try {
      return Trainer.resolveConfig(
          base,
          sets,
          seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
          steps == null ? OptionalLong.empty() : OptionalLong.of(steps));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** --minutes as a duration; empty without it. */
  private Optional<Duration> timeLimit() {
    if (minutes == null) {
      return Optional.empty();
    }
    if (!(minutes > 0) || minutes.isInfinite()) {
      throw usage("--minutes must be > 0, got " + minutes);
    }
    return Optional.of(Duration.ofMillis(Math.round(minutes * 60_000)));
  }

  private Device resolveDevice() {
    try {
      Device chosen = device.resolve(gpuCount);
      agents.requireSupported(chosen);
      return chosen;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private void printPresets(PrintWriter out) {
    out.printf("%-26s %-12s %8s  %s%n", "preset", "task", "obs/act", "d4rl dataset");
    for (String name : presets.names()) {
      Preset preset = presets.load(name);
      out.printf(
          "%-26s %-12s %8s  %s%n",
          name,
          preset.task(),
          preset.shape().obsDim() + "/" + preset.shape().actDim(),
          preset.d4rlDataset());
    }
    out.flush();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
