package io.dtql.cli;

import com.google.gson.JsonObject;
import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.evaluator.BehaviourPolicies;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.Evaluator;
import io.dtql.evaluator.collect.BehaviourCatalog;
import io.dtql.evaluator.collect.DatasetKind;
import io.dtql.evaluator.online.SacRunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtql behaviour}: turns SAC snapshots into the catalogued behaviour policies. */
@Command(
    name = "behaviour",
    mixinStandardHelpOptions = true,
    description = "Manage the behaviour-policy catalog that `dtql collect --kind` uses.",
    subcommands = {
      BehaviourCommand.Export.class,
      BehaviourCommand.ExportReplay.class,
      BehaviourCommand.ListPolicies.class
    })
final class BehaviourCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw Usage.error(spec, "a subcommand is required");
  }

  /** {@code dtql behaviour export}: one snapshot becomes the medium or expert policy. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Measure a SAC actor snapshot (sampled actions, as collection acts) and add it to the"
            + " catalog as a task's medium or expert behaviour policy, or (an ant-goal snapshot)"
            + " as the walking controller the antmaze datasets are collected with."
      })
  static final class Export implements Callable<Integer> {
    private static final String CONTROLLER = DatasetKind.CONTROLLER_KIND;

    @Spec CommandSpec spec;

    @Option(
        names = "--snapshot",
        required = true,
        paramLabel = "FILE",
        description = "A snapshots/step-N.policy file of a `dtql sac` run.")
    Path snapshot;

    @Option(
        names = "--kind",
        required = true,
        paramLabel = "medium|expert|controller",
        description = "Kind: medium or expert; controller for an ant-goal snapshot.")
    String kind;

    @Option(
        names = "--episodes",
        description = "Episodes to measure the return over. Default: ${DEFAULT-VALUE}.")
    int episodes = 10;

    @Option(names = "--seed", description = "Evaluation seed. Default: ${DEFAULT-VALUE}.")
    long seed = 100;

    @Mixin CatalogOptions catalog;

    @Mixin SimulatorOptions simulator;

    @Override
    public Integer call() throws IOException {
      Usage.require(
          kind.equals("medium") || kind.equals("expert") || kind.equals(CONTROLLER),
          spec,
          "--kind must be medium, expert or controller, got '" + kind + "'");
      Usage.require(episodes >= 1, spec, "--episodes must be >= 1, got " + episodes);
      Usage.require(
          Files.isRegularFile(snapshot), spec, "--snapshot " + snapshot + ": no such file");
      BehaviourPolicyFile file = BehaviourPolicyFile.read(snapshot);
      String task = file.task();
      Usage.require(
          kind.equals(CONTROLLER) == task.equals(DatasetKind.CONTROLLER_TASK),
          spec,
          "--kind controller is for a snapshot of task "
              + DatasetKind.CONTROLLER_TASK
              + " (the antmaze walking controller), and that task's snapshots are controllers;"
              + " this one is "
              + task);
      BehaviourPolicy policy = file.policy();
      EvaluationSummary sampledSummary;
      EvaluationSummary meanSummary;
      try (SimulatorOptions.Simulator sim = simulator.open()) {
        EvaluationOptions options = new EvaluationOptions(episodes, Math.min(episodes, 10), seed);
        sampledSummary =
            Evaluator.evaluate(
                sim.client(), task, s -> BehaviourPolicies.sampled(policy), options, e -> {});
        meanSummary =
            Evaluator.evaluate(
                sim.client(), task, s -> BehaviourPolicies.mean(policy), options, e -> {});
      }
      Path dir = catalog.directory();
      Files.createDirectories(dir);
      String name = task + "-" + kind + ".policy";
      JsonObject meta = file.metadata();
      meta.addProperty("kind", kind);
      meta.addProperty("source", snapshot.toAbsolutePath().normalize().toString());
      record(meta, "return", sampledSummary);
      record(meta, "mean_action_return", meanSummary);
      meta.addProperty("return_episodes", episodes);
      meta.addProperty("return_seed", seed);
      if (sampledSummary.meanNormalized().isEmpty()) {
        // Snapshots taken before ant-goal lost its D4RL reference carry a training-time score
        // against the ant's; a task without a reference has no normalised score to pass on.
        meta.remove("eval_normalized_mean");
      }
      BehaviourPolicyFile exported = new BehaviourPolicyFile(meta, file.actor());
      exported.write(dir.resolve(name));
      JsonObject entry = manifestEntry(meta);
      entry.addProperty("file", name);
      entry.addProperty("sha256", BehaviourCatalog.sha256(dir.resolve(name)));
      BehaviourCatalog.open(dir).put(entry);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "%s %s: return %.1f +- %.1f over %d episodes (sampled actions)%s; mean action %.1f%n"
              + "wrote %s%n",
          task,
          kind,
          sampledSummary.meanReturn(),
          sampledSummary.stdReturn(),
          episodes,
          sampledSummary
              .meanNormalized()
              .map(v -> String.format(" = %.1f normalised", v))
              .orElse(""),
          meanSummary.meanReturn(),
          dir.resolve(name));
      out.flush();
      return 0;
    }

    private static void record(JsonObject meta, String prefix, EvaluationSummary s) {
      meta.addProperty(prefix + "_mean", s.meanReturn());
      meta.addProperty(prefix + "_std", s.stdReturn());
      s.meanNormalized().ifPresent(v -> meta.addProperty(prefix + "_normalized", v));
    }
  }

  /** The manifest's copy of a policy's description (scalars only). */
  static JsonObject manifestEntry(JsonObject meta) {
    JsonObject entry = new JsonObject();
    for (String key : meta.keySet()) {
      if (meta.get(key).isJsonPrimitive() && !key.equals("source")) {
        entry.add(key, meta.get(key));
      }
    }
    return entry;
  }

  /** {@code dtql behaviour export-replay}: the medium run's snapshots become medium-replay. */
  @Command(
      name = "export-replay",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Add a task's medium-replay schedule to the catalog: the SAC run's random warm-up, then"
            + " its actor snapshots up to --until, each acting for the steps it covered in the run."
      })
  static final class ExportReplay implements Callable<Integer> {
    private static final Pattern STEP = Pattern.compile("step-(\\d+)\\.policy");

    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A `dtql sac` run.")
    Path run;

    @Option(
        names = "--until",
        required = true,
        paramLabel = "STEP",
        description = "Last environment step of the replay (the medium policy's snapshot).")
    long until;

    @Option(
        names = "--every",
        paramLabel = "N",
        description = "Use one snapshot per N steps. Default: ${DEFAULT-VALUE}.")
    long every = 20_000;

    @Mixin CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
      SacRunDirectory runDir;
      try {
        runDir = SacRunDirectory.open(run);
      } catch (IOException e) {
        throw Usage.error(spec, "--run " + e.getMessage());
      }
      SacRunDirectory.Description d = runDir.read();
      long random = d.settings().randomSteps();
      List<Long> steps = new ArrayList<>();
      try (Stream<Path> files = Files.list(run.resolve("snapshots"))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Matcher m = STEP.matcher(f.getFileName().toString());
          if (m.matches()) {
            long s = Long.parseLong(m.group(1));
            // Snapshots taken during the random warm-up never acted in the run.
            if (s > random && s <= until && s % every == 0) {
              steps.add(s);
            }
          }
        }
      }
      steps.sort(null);
      Usage.require(
          !steps.isEmpty() && steps.get(steps.size() - 1) == until,
          spec,
          "--until " + until + " must be a snapshot step that is a multiple of --every " + every);
      Path dir = catalog.directory();
      String sub = d.task() + "-" + DatasetKind.MEDIUM_REPLAY.id();
      Files.createDirectories(dir.resolve(sub));
      JsonObject entry = new JsonObject();
      entry.addProperty("task", d.task());
      entry.addProperty("kind", DatasetKind.MEDIUM_REPLAY.id());
      entry.addProperty("random_rows", random);
      entry.addProperty("until_env_steps", until);
      entry.addProperty("seed", d.config().seed());
      com.google.gson.JsonArray segments = new com.google.gson.JsonArray();
      long previous = random;
      for (long s : steps) {
        Path source = runDir.snapshot(s);
        String name = sub + "/" + source.getFileName();
        Files.copy(source, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonObject seg = new JsonObject();
        seg.addProperty("file", name);
        seg.addProperty("sha256", BehaviourCatalog.sha256(dir.resolve(name)));
        // Snapshot s acts for the steps after the previous one up to s.
        seg.addProperty("rows", s - previous);
        segments.add(seg);
        previous = s;
      }
      entry.add("segments", segments);
      BehaviourCatalog.open(dir).put(entry);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "%s medium-replay: %d random rows then %d snapshots, %d rows in all%n",
          d.task(),
          random,
          steps.size(),
          until);
      out.flush();
      return 0;
    }
  }

  /** {@code dtql behaviour list}: what the catalog holds. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the catalog.")
  static final class ListPolicies implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CatalogOptions catalog;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      for (BehaviourCatalog.Entry e : BehaviourCatalog.open(catalog.directory()).entries()) {
        JsonObject j = e.json();
        String quality =
            j.has("return_mean")
                ? String.format(
                    Locale.ROOT,
                    "return %.1f +- %.1f%s",
                    j.get("return_mean").getAsDouble(),
                    j.get("return_std").getAsDouble(),
                    j.has("return_normalized")
                        ? String.format(
                            Locale.ROOT,
                            " (%.1f normalised)",
                            j.get("return_normalized").getAsDouble())
                        : "")
                : e.policies().size() + " snapshots";
        out.printf(Locale.ROOT, "%-12s %-14s %s%n", e.task(), e.kind(), quality);
      }
      out.flush();
      return 0;
    }
  }
}
