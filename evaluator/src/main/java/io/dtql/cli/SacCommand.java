package io.dtql.cli;

import io.dtql.agent.sac.SacConfig;
import io.dtql.agent.train.StopSignal;
import io.dtql.evaluator.online.OnlineSacLoop;
import io.dtql.evaluator.online.OnlineSettings;
import io.dtql.evaluator.online.SacRunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtql sac}: trains a behaviour policy online with Soft Actor-Critic. */
@Command(
    name = "sac",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a behaviour policy online with Soft Actor-Critic against the simulator.",
      "The run directory holds run.json, metrics.jsonl, the replay log, checkpoints and an actor"
          + " snapshot with its evaluation score every --eval-every steps; `dtql behaviour"
          + " export` turns a snapshot into a behaviour policy. Ctrl-C saves a checkpoint;"
          + " --resume continues (and, with a larger --env-steps, extends) the run."
    })
final class SacCommand implements Callable<Integer> {
  private static final Duration SHUTDOWN_GRACE = Duration.ofMinutes(2);

  @Spec CommandSpec spec;

  @Option(names = "--task", paramLabel = "ID", description = "Task to train on (a new run).")
  String task;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description = "Directory of a new run (must not hold a run yet).")
  Path runDir;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description = "Continue the run in this directory from its latest checkpoint.")
  Path resume;

  @Option(
      names = "--refill-replay",
      paramLabel = "ROWS",
      description =
          "With --resume: if the run's replay log is missing (a run carried to another machine"
              + " with its checkpoint only), refill the buffer with ROWS steps of the current"
              + " policy before updates continue (recorded in run.json). Without it a missing"
              + " log is an error.")
  Long refillReplay;

  @Option(
      names = "--env-steps",
      paramLabel = "N",
      description =
          "Environment steps of the whole run. Default: 1000000 (a resume keeps its own).")
  Long envSteps;

  @Option(names = "--seed", description = "Seed of a new run. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together (a new run). Default: ${DEFAULT-VALUE}.")
  int numEnvs = 1;

  @Option(
      names = "--random-steps",
      paramLabel = "N",
      description = "Uniformly random actions first (a new run). Default: ${DEFAULT-VALUE}.")
  long randomSteps = OnlineSettings.defaults().randomSteps();

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      description = "Evaluate and snapshot the actor every N steps. Default: ${DEFAULT-VALUE}.")
  long evalEvery = OnlineSettings.defaults().evalEvery();

  @Option(
      names = "--eval-episodes",
      paramLabel = "N",
      description = "Episodes per evaluation. Default: ${DEFAULT-VALUE}.")
  int evalEpisodes = OnlineSettings.defaults().evalEpisodes();

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description = "Checkpoint every N steps (a new run). Default: ${DEFAULT-VALUE}.")
  long checkpointEvery = OnlineSettings.defaults().checkpointEvery();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a SAC setting of a new run, e.g. --set batch-size=512 (repeatable).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(
      names = "--progress",
      converter = LowerCaseEnumConverter.ProgressStyles.class,
      paramLabel = "auto|bar|lines|none",
      defaultValue = "auto",
      description =
          "Progress on stderr: a bar on a terminal, a plain line with every metric otherwise"
              + " (default: ${DEFAULT-VALUE}).")
  ProgressStyle progress;

  @Mixin SimulatorOptions simulator;

  private final StopSignal stop = new StopSignal();

  @Override
  public Integer call() throws IOException {
    Usage.require(
        (resume == null) != (task == null),
        spec,
        "give --task (with --run-dir) for a new run, or --resume DIR, not both");
    Usage.require(
        refillReplay == null || resume != null, spec, "--refill-replay applies to --resume");
    Usage.require(
        refillReplay == null || refillReplay > 0,
        spec,
        "--refill-replay must be > 0, got " + refillReplay);
    SacRunDirectory run = resume == null ? newRun() : resumedRun();
    ProgressOptions progressOptions = progressOptions();
    PrintWriter out = spec.commandLine().getOut();
    out.println("run directory: " + run.path());
    out.flush();
    StopSignal.Installed hook = stop.installShutdownHook(SHUTDOWN_GRACE);
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      OnlineSacLoop.Outcome outcome =
          new OnlineSacLoop(
                  sim.client(), run, progressOptions, stop, refillReplay == null ? 0 : refillReplay)
              .run();
      out.printf(
          Locale.ROOT,
          "%s at %d environment steps (%d updates)%n",
          outcome.stopped() ? "stopped" : "finished",
          outcome.envSteps(),
          outcome.updates());
      outcome
          .lastEvaluation()
          .ifPresent(
              e ->
                  out.printf(
                      Locale.ROOT,
                      "last evaluation: return %.1f +- %.1f%s%n",
                      e.meanReturn(),
                      e.stdReturn(),
                      e.meanNormalized()
                          .map(v -> String.format(" (normalised %.1f)", v))
                          .orElse("")));
      out.flush();
      stop.markFinished();
      return outcome.stopped() ? CliErrors.EXIT_STOPPED : 0;
    } finally {
      hook.close();
    }
  }

  private SacRunDirectory newRun() throws IOException {
    Usage.require(runDir != null, spec, "--run-dir is required for a new run");
    Usage.require(
        !Files.exists(runDir.resolve("run.json")),
        spec,
        "--run-dir " + runDir + " already holds a run; continue it with --resume " + runDir);
    SacConfig config;
    OnlineSettings settings;
    try {
      config = SacConfig.defaults(seed).withOverrides(sets);
      long steps = envSteps == null ? OnlineSettings.defaults().envSteps() : envSteps;
      settings =
          OnlineSettings.of(steps, numEnvs, randomSteps, evalEvery, evalEpisodes, checkpointEvery);
    } catch (IllegalArgumentException e) {
      throw Usage.error(spec, e.getMessage());
    }
    return SacRunDirectory.create(runDir, new SacRunDirectory.Description(task, config, settings));
  }

  private SacRunDirectory resumedRun() throws IOException {
    for (String flag :
        List.of(
            "--run-dir", "--set", "--num-envs", "--random-steps", "--checkpoint-every", "--seed")) {
      Usage.require(
          !spec.commandLine().getParseResult().hasMatchedOption(flag),
          spec,
          flag + " applies to a new run; a resumed run keeps its own");
    }
    Usage.require(Files.isDirectory(resume), spec, "--resume " + resume + ": no such directory");
    SacRunDirectory run;
    try {
      run = SacRunDirectory.open(resume);
    } catch (IOException e) {
      throw Usage.error(spec, "--resume " + e.getMessage());
    }
    SacRunDirectory.Description d = run.read();
    OnlineSettings settings = d.settings();
    if (envSteps != null) {
      // Longer extends the run, shorter ends it earlier (at once if it is already past that).
      settings = settings.withEnvSteps(envSteps);
    }
    var parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption("--eval-every") || parsed.hasMatchedOption("--eval-episodes")) {
      // Only what the command line gives replaces the run's own settings.
      settings =
          settings.withEvaluation(
              parsed.hasMatchedOption("--eval-every") ? evalEvery : settings.evalEvery(),
              parsed.hasMatchedOption("--eval-episodes") ? evalEpisodes : settings.evalEpisodes());
    }
    run.write(new SacRunDirectory.Description(d.task(), d.config(), settings));
    return run;
  }

  private ProgressOptions progressOptions() {
    return new ProgressOptions(progress, ProgressOptions.DEFAULT_LINE_INTERVAL);
  }
}
