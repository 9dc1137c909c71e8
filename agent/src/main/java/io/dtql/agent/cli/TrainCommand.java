package io.dtql.agent.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.ConfigFields;
import io.dtql.agent.preset.Preset;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.train.AgentFactory;
import io.dtql.agent.train.DatasetSource;
import io.dtql.agent.train.RunDirectory;
import io.dtql.agent.train.StopSignal;
import io.dtql.agent.train.TrainingOutcome;
import io.dtql.agent.train.TrainingSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains DTQL on an offline dataset with a named preset, writing a run directory
 * with the resolved config, metrics and checkpoints; {@code --resume} continues a run exactly.
 *
 * <p>Exit codes: 0 done, 1 a file could not be used (damaged dataset or checkpoint, checkpoint of
 * another run) or training failed, 2 bad command line, 130 stopped early by Ctrl-C after saving a
 * checkpoint. Errors are reported by {@link CliErrors}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Train DTQL on a D4RL .hdf5 file or a Minari dataset directory.")
public final class TrainCommand implements Callable<Integer> {
  /** Exit code of a run stopped early by a stop request (the shell's code for SIGINT). */
  public static final int EXIT_STOPPED = 130;

  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(2);

  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      paramLabel = "PATH",
      description = "D4RL .hdf5 file or Minari dataset directory.")
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
              + " ratio; the run ends at pretraining + N.")
  Long steps;

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
      defaultValue = "50000",
      description =
          "Checkpoint every K steps, and always at the end; 0 = only at the end (default:"
              + " ${DEFAULT-VALUE}).")
  long checkpointEvery;

  @Option(
      names = "--log-every",
      paramLabel = "K",
      defaultValue = "1000",
      description = "Write a metrics row every K steps (default: ${DEFAULT-VALUE}).")
  long logEvery;

  @Option(
      names = "--resume",
      paramLabel = "PATH",
      description = "Run directory or checkpoint file to continue from.")
  Path resume;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a config field, e.g. --set alpha=2 (repeatable; kebab-case names).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(
      names = "--metrics-format",
      converter = LowerCaseEnumConverter.MetricsFormats.class,
      paramLabel = "jsonl|csv",
      defaultValue = "jsonl",
      description =
          "metrics.jsonl is always written; csv also writes metrics.csv (default:"
              + " ${DEFAULT-VALUE}).")
  MetricsFormat metricsFormat;

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Option(names = "--list-presets", description = "List the presets and exit.")
  boolean listPresets;

  private final AgentFactory agents;
  private final DatasetSource datasets;
  private final IntSupplier gpuCount;
  private final StopSignal stop;

  /** Set once training has a run directory; null before (or for --list-presets). */
  private Path runDirectory;

  private final PresetRegistry presets = PresetRegistry.bundled();

  /** The command as users run it: the DTQL agent, datasets from files, the real engine. */
  public TrainCommand() {
    this(
        AgentFactories.dtql(),
        DatasetSource.files(),
        () -> Engine.getInstance().getGpuCount(),
        new StopSignal());
  }

  /** A command with its collaborators replaced, for tests. */
  public TrainCommand(
      AgentFactory agents, DatasetSource datasets, IntSupplier gpuCount, StopSignal stop) {
    this.agents = agents;
    this.datasets = datasets;
    this.gpuCount = gpuCount;
    this.stop = stop;
  }

  /** The run directory of the last training this command started, for callers that go on. */
  public Optional<Path> runDirectory() {
    return Optional.ofNullable(runDirectory);
  }

  /** Runs the command and returns its exit code (no System.exit), as tests and the CLI do. */
  public static int run(String... args) {
    return commandLine(new TrainCommand()).execute(args);
  }

  /** A picocli CommandLine for this command with dtql's error policy, for running it alone. */
  public static CommandLine commandLine(TrainCommand command) {
    return CliErrors.install(new CommandLine(command));
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (listPresets) {
      printPresets(out);
      return 0;
    }
    if (dataset == null) {
      throw usage("--dataset is required");
    }
    if (!Files.exists(dataset)) {
      throw usage("dataset " + dataset + " does not exist");
    }
    if (resume != null && !Files.exists(resume)) {
      throw usage("--resume " + resume + ": no such checkpoint file or run directory");
    }
    if (checkpointEvery < 0 || logEvery <= 0) {
      throw usage(
          "--checkpoint-every must be >= 0 and --log-every > 0, got "
              + checkpointEvery
              + " and "
              + logEvery);
    }
    // A damaged dataset or checkpoint, or a diverged loss, ends in CliErrors: exit 1, one line.
    return train(out);
  }

  private int train(PrintWriter out) throws IOException {
    Optional<Path> resumeFile =
        resume == null
            ? Optional.empty()
            : Optional.of(CheckpointStore.resolveResumeTarget(resume));
    Optional<CheckpointFile> checkpoint =
        resumeFile.isPresent()
            ? Optional.of(CheckpointFile.read(resumeFile.get()))
            : Optional.empty();
    Optional<Preset> preset = loadPreset();
    if (preset.isEmpty() && checkpoint.isEmpty()) {
      throw usage("--preset is required unless --resume names a checkpoint");
    }
    DtqlConfig base = preset.map(Preset::config).orElseGet(() -> checkpoint.get().config());
    ProblemShape shape = preset.map(Preset::shape).orElseGet(() -> checkpoint.get().shape());
    DtqlConfig config = resolveConfig(base);
    if (checkpoint.isPresent()) {
      checkpoint.get().requireCompatible(resumeFile.get(), config, shape);
    }
    Device chosen = resolveDevice();

    Transitions transitions = datasets.load(dataset, shape);
    if (config.rewardShift() != 0) {
      transitions = transitions.withRewardShift(config.rewardShift());
    }
    LOG.info("dataset {}: {} transitions", dataset, transitions.size());

    RunDirectory run = runDirectory(config, resumeFile);
    runDirectory = run.path();
    run.writeConfig(config, shape, dataset, chosen.toString(), resumeFile);
    out.println("run directory: " + run.path());
    out.println("device: " + chosen);
    out.flush();

    TrainingSession.Plan plan =
        new TrainingSession.Plan(
            config,
            shape,
            transitions,
            run,
            checkpoint,
            chosen,
            checkpointEvery,
            logEvery,
            metricsFormat == MetricsFormat.CSV,
            !noProgress);
    TrainingOutcome outcome;
    // On Ctrl-C the JVM exits as soon as the hook is released, so report before releasing it.
    StopSignal.Installed hook = stop.installShutdownHook(SHUTDOWN_GRACE);
    try {
      outcome = TrainingSession.run(plan, agents, stop);
      out.println(
          (outcome.stoppedEarly() ? "stopped at step " : "finished at step ")
              + outcome.finalStep()
              + " of "
              + config.endStep());
      outcome.lastCheckpoint().ifPresent(file -> out.println("checkpoint: " + file));
      out.flush();
    } finally {
      hook.close();
    }
    return outcome.stoppedEarly() ? EXIT_STOPPED : 0;
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
    Map<String, String> overrides = new LinkedHashMap<>(sets);
    if (seed != null) {
      overrides.put("seed", Long.toString(seed));
    }
    if (steps != null) {
      overrides.put("train-steps", Long.toString(steps));
      if (!sets.containsKey("pretrain-steps") && steps > 0) {
        long pretrain = Math.round((double) base.pretrainSteps() * steps / base.trainSteps());
        overrides.put("pretrain-steps", Long.toString(pretrain));
        LOG.info(
            "--steps {}: pretraining scaled to {} steps (the preset's ratio)", steps, pretrain);
      }
    }
    try {
      return ConfigFields.withOverrides(base, overrides);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
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

  private RunDirectory runDirectory(DtqlConfig config, Optional<Path> resumeFile)
      throws IOException {
    Optional<Path> owner = resumeFile.flatMap(CheckpointStore::runDirectoryOf);
    if (owner.isPresent()) {
      return RunDirectory.open(owner.get());
    }
    return RunDirectory.create(outputDir, config.preset(), config.seed(), LocalDateTime.now());
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
