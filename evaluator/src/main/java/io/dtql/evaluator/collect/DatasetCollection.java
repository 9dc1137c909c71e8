package io.dtql.evaluator.collect;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.D4rlDatasetWriter;
import io.dtql.agent.data.D4rlWriteOptions;
import io.dtql.agent.data.DatasetContentHash;
import io.dtql.agent.data.FloatPrecision;
import io.dtql.agent.io.Closeables;
import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.evaluator.collect.antmaze.AntMazeRecipe;
import io.dtql.evaluator.collect.antmaze.MazeMap;
import io.dtql.evaluator.collect.antmaze.MazeNavigator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Makes a D4RL-style dataset file: picks the behaviour for the dataset kind (uniform random, a
 * catalogued SAC policy, the medium run's snapshot schedule, medium then expert, or any {@link
 * CollectionPolicy} the caller supplies), collects exactly the rows asked for and writes the file
 * atomically with its provenance under {@code metadata/}. Given several clients (for example
 * several local server processes), the envs are spread over one session on each, which then step in
 * parallel; the data is the same whatever the number of clients.
 *
 * <p>Reproducible: behaviour actions come from plain-Java policies with per-environment noise
 * streams, so the same request against the same simulator gives the same arrays (the {@code
 * metadata/content_sha256} shows it) and the same file bytes.
 */
public final class DatasetCollection {
  public static final String PROJECT_VERSION = "dtql 0.1.0";

  /** The info tensors recorded under infos/ when the task reports them. */
  static final List<String> STATE_INFOS = List.of("qpos", "qvel", "goal");

  /** A command goal the walking ant has not reached in this many steps (50 s) is replaced. */
  static final int MAX_STEPS_PER_GOAL = 500;

  private DatasetCollection() {}

  /**
   * @param rows rows to write; 0 means the kind's default
   * @param seed env i is seeded seed + i; behaviour noise streams derive from it
   */
  public record Request(String task, DatasetKind kind, int rows, int numEnvs, long seed) {
    public Request {
      if (rows < 0 || rows == 1) {
        throw new IllegalArgumentException("rows must be 0 (the default) or >= 2, got " + rows);
      }
      if (numEnvs < 1) {
        throw new IllegalArgumentException("num-envs must be >= 1, got " + numEnvs);
      }
    }
  }

  /**
   * What was written.
   *
   * @param facts what the collection learned beyond the arrays (antmaze: goals reached by the
   *     walking controller, episodes that reach the evaluation goal), also in the file's metadata
   */
  public record Result(
      Path file,
      int rows,
      int episodes,
      double meanEpisodeReturn,
      String contentSha256,
      String behaviour,
      Map<String, String> facts) {}

  /**
   * A behaviour: what acts for how many rows, and what the file's metadata says about it.
   *
   * @param continuous true: the parts are phases of one collection whose episodes run on across a
   *     change of policy (medium-replay); false: separate collections, concatenated (medium-expert)
   * @param facts read after the collection: what it learned beyond the arrays (antmaze counters)
   */
  private record Plan(
      List<Function<Integer, CollectionPolicy>> parts,
      List<Integer> rows,
      Map<String, String> metadata,
      String name,
      boolean continuous,
      Supplier<Map<String, String>> facts) {
    Plan(
        List<Function<Integer, CollectionPolicy>> parts,
        List<Integer> rows,
        Map<String, String> metadata,
        String name,
        boolean continuous) {
      this(parts, rows, metadata, name, continuous, Map::of);
    }
  }

  /** Collects a catalogued kind (or random) and writes {@code output}. */
  public static Result run(
      EnvClient client, Request request, BehaviourCatalog catalog, Path output, IntConsumer onRows)
      throws IOException {
    return run(List.of(client), request, catalog, output, onRows);
  }

  /**
   * As {@link #run(EnvClient, Request, BehaviourCatalog, Path, IntConsumer)}, on several clients.
   */
  public static Result run(
      List<EnvClient> clients,
      Request request,
      BehaviourCatalog catalog,
      Path output,
      IntConsumer onRows)
      throws IOException {
    TaskSpec spec = clients.get(0).describeTask(request.task());
    Plan plan = plan(request, spec, catalog);
    return collectAndWrite(clients, request, spec, plan, output, onRows);
  }

  /** Collects with a caller's policy (for example a DTQL checkpoint) and writes {@code output}. */
  public static Result run(
      List<EnvClient> clients,
      Request request,
      Function<TaskSpec, CollectionPolicy> policyFor,
      String policyDescription,
      Path output,
      IntConsumer onRows)
      throws IOException {
    TaskSpec spec = clients.get(0).describeTask(request.task());
    int rows = request.rows() == 0 ? DatasetKind.RANDOM.defaultRows() : request.rows();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("policy/name", policyDescription);
    Plan plan =
        new Plan(
            List.of(n -> policyFor.apply(spec)), List.of(rows), meta, policyDescription, false);
    return collectAndWrite(clients, request, spec, plan, output, onRows);
  }

  private static Plan plan(Request request, TaskSpec spec, BehaviourCatalog catalog)
      throws IOException {
    DatasetKind kind = request.kind();
    int numEnvs = request.numEnvs();
    long seed = request.seed();
    Map<String, String> meta = new LinkedHashMap<>();
    if (kind.antmaze().isPresent()) {
      return antmazePlan(request, spec, catalog, kind.antmaze().get());
    }
    switch (kind) {
      case RANDOM -> {
        int rows = request.rows() == 0 ? kind.defaultRows() : request.rows();
        meta.put("policy/name", "uniform random actions");
        return new Plan(
            List.of(
                n -> new UniformActions(spec.action().low(), spec.action().high(), numEnvs, seed)),
            List.of(rows),
            meta,
            "uniform-random",
            false);
      }
      case MEDIUM, EXPERT -> {
        BehaviourCatalog.Entry entry = entry(catalog, request.task(), kind);
        BehaviourPolicyFile file = catalog.load(entry.policies().get(0));
        int rows = request.rows() == 0 ? kind.defaultRows() : request.rows();
        describe(meta, "policy/", entry, file);
        String name = request.task() + "-" + kind.id();
        return new Plan(
            List.of(n -> new SampledBehaviour(file.policy(), name, numEnvs, seed)),
            List.of(rows),
            meta,
            name,
            false);
      }
      case MEDIUM_EXPERT -> {
        int rows = request.rows() == 0 ? kind.defaultRows() : request.rows();
        List<Function<Integer, CollectionPolicy>> parts = new ArrayList<>();
        for (DatasetKind half : List.of(DatasetKind.MEDIUM, DatasetKind.EXPERT)) {
          BehaviourCatalog.Entry entry = entry(catalog, request.task(), half);
          BehaviourPolicyFile file = catalog.load(entry.policies().get(0));
          describe(meta, "policy/" + half.id() + "/", entry, file);
          String name = request.task() + "-" + half.id();
          long partSeed = seed + (half == DatasetKind.EXPERT ? 1_000_003L : 0);
          parts.add(n -> new SampledBehaviour(file.policy(), name, numEnvs, partSeed));
        }
        return new Plan(
            parts, List.of(rows / 2, rows - rows / 2), meta, "medium then expert", false);
      }
      case MEDIUM_REPLAY -> {
        return replayPlan(request, spec, catalog, meta);
      }
    }
    throw new IllegalStateException("unhandled kind " + kind);
  }

  /**
   * The medium run's replay buffer, regenerated: the run's uniformly random warm-up, then each
   * snapshot acting (sampled actions) for the rows it produced in the run. With {@code --rows},
   * every part is scaled by the same factor.
   */
  private static Plan replayPlan(
      Request request, TaskSpec spec, BehaviourCatalog catalog, Map<String, String> meta)
      throws IOException {
    BehaviourCatalog.Entry entry = entry(catalog, request.task(), DatasetKind.MEDIUM_REPLAY);
    int scheduled = entry.scheduledRows();
    double scale = request.rows() == 0 ? 1.0 : (double) request.rows() / scheduled;
    List<Function<Integer, CollectionPolicy>> parts = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    int numEnvs = request.numEnvs();
    long seed = request.seed();
    int total = 0;
    if (entry.randomRows() > 0) {
      int r = Math.max(2, (int) Math.round(entry.randomRows() * scale));
      parts.add(n -> new UniformActions(spec.action().low(), spec.action().high(), numEnvs, seed));
      rows.add(r);
      total += r;
    }
    List<String> files = new ArrayList<>();
    for (int i = 0; i < entry.policies().size(); i++) {
      BehaviourCatalog.PolicyRef ref = entry.policies().get(i);
      BehaviourPolicyFile file = catalog.load(ref);
      files.add(ref.file());
      boolean last = i == entry.policies().size() - 1;
      int r =
          last && request.rows() != 0
              ? request.rows() - total
              : Math.max(2, (int) Math.round(ref.rows() * scale));
      long partSeed = seed + 7919L * (i + 1);
      String name = ref.file();
      parts.add(n -> new SampledBehaviour(file.policy(), name, numEnvs, partSeed));
      rows.add(r);
      total += r;
    }
    meta.put(
        "policy/name", "medium run replay: random warm-up then " + files.size() + " snapshots");
    meta.put("policy/files", String.join(",", files));
    meta.put("policy/rows", rows.toString());
    copy(meta, "policy/", entry.json());
    return new Plan(parts, rows, meta, request.task() + "-medium-replay", true);
  }

  /**
   * An antmaze dataset as D4RL recorded it: the walking controller from the catalog, steered by
   * waypoints to command goals drawn by the recipe, in the maze's collection task.
   */
  private static Plan antmazePlan(
      Request request, TaskSpec spec, BehaviourCatalog catalog, AntMazeRecipe recipe)
      throws IOException {
    if (!spec.taskId().equals(recipe.collectionTask())) {
      throw new IllegalArgumentException(
          request.kind().id()
              + " is recorded in task "
              + recipe.collectionTask()
              + ", not "
              + spec.taskId());
    }
    String task = DatasetKind.CONTROLLER_TASK;
    BehaviourCatalog.Entry entry =
        catalog
            .find(task, DatasetKind.CONTROLLER_KIND)
            .orElseThrow(
                () ->
                    new IOException(
                        catalog.directory().resolve(BehaviourCatalog.MANIFEST)
                            + " has no walking controller (task "
                            + task
                            + ", kind "
                            + DatasetKind.CONTROLLER_KIND
                            + "); train one with `dtql sac --task ant-goal` and add it with"
                            + " `dtql behaviour export --kind controller`"));
    BehaviourPolicyFile file = catalog.load(entry.policies().get(0));
    MazeMap map = MazeMap.fromMetadata(spec.taskId(), spec.metadata());
    List<MazeMap.Cell> cells = recipe.goalCells(map);
    String name = request.kind().id();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("policy/name", "walking controller steered by a waypoint planner");
    describe(meta, "policy/", entry, file);
    meta.put("antmaze/evaluation_task", recipe.evaluationTask());
    meta.put("antmaze/multistart", Boolean.toString(recipe.multistart()));
    meta.put("antmaze/goals", recipe.goals().name().toLowerCase(Locale.ROOT));
    meta.put("antmaze/goal_cells", cells.toString());
    meta.put("antmaze/max_steps_per_goal", Integer.toString(MAX_STEPS_PER_GOAL));
    meta.put(
        "antmaze/labels",
        "reward 1 within 0.5 of the evaluation goal (infos/goal), else 0; terminals = reward"
            + " (the evaluation episode would end there); timeouts every 1000 steps");
    MazeNavigator[] made = new MazeNavigator[1];
    Function<Integer, CollectionPolicy> navigator =
        n ->
            made[0] =
                new MazeNavigator(
                    file.policy(),
                    map,
                    cells,
                    MAX_STEPS_PER_GOAL,
                    request.numEnvs(),
                    request.seed(),
                    name);
    Supplier<Map<String, String>> facts =
        () -> {
          // Ordered: the metadata is part of the file's bytes, which must be reproducible.
          Map<String, String> f = new LinkedHashMap<>();
          f.put("antmaze/waypoints_passed", Long.toString(made[0].waypointsPassed()));
          f.put("antmaze/command_goals_reached", Long.toString(made[0].goalsReached()));
          f.put("antmaze/command_goals_abandoned", Long.toString(made[0].goalsAbandoned()));
          return f;
        };
    int rows = request.rows() == 0 ? request.kind().defaultRows() : request.rows();
    return new Plan(List.of(navigator), List.of(rows), meta, name, false, facts);
  }

  private static BehaviourCatalog.Entry entry(
      BehaviourCatalog catalog, String task, DatasetKind kind) throws IOException {
    return catalog
        .find(task, kind.id())
        .orElseThrow(
            () ->
                new IOException(
                    catalog.directory().resolve(BehaviourCatalog.MANIFEST)
                        + " has no "
                        + kind.id()
                        + " behaviour policy for task "
                        + task
                        + " (train one with `dtql sac` and add it with `dtql behaviour export`)"));
  }

  private static void describe(
      Map<String, String> meta,
      String prefix,
      BehaviourCatalog.Entry entry,
      BehaviourPolicyFile file) {
    meta.put(prefix + "file", entry.policies().get(0).file());
    copy(meta, prefix, entry.json());
  }

  /** The manifest entry's scalar fields, as strings under {@code prefix}. */
  private static void copy(Map<String, String> meta, String prefix, JsonObject json) {
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      if (e.getValue().isJsonPrimitive()) {
        meta.put(prefix + e.getKey(), e.getValue().getAsString());
      }
    }
  }

  private static Result collectAndWrite(
      List<EnvClient> clients,
      Request request,
      TaskSpec spec,
      Plan plan,
      Path output,
      IntConsumer onRows)
      throws IOException {
    List<DatasetCollector.Rows> parts = new ArrayList<>();
    List<VectorEnv> sessions = new ArrayList<>();
    try {
      openSessions(clients, request, spec, sessions);
      if (plan.continuous()) {
        List<DatasetCollector.Phase> phases = new ArrayList<>();
        for (int i = 0; i < plan.parts().size(); i++) {
          phases.add(new DatasetCollector.Phase(plan.parts().get(i).apply(i), plan.rows().get(i)));
        }
        try {
          parts.add(DatasetCollector.collect(sessions, phases, onRows));
        } finally {
          phases.forEach(p -> p.policy().close());
        }
      } else {
        for (int i = 0; i < plan.parts().size(); i++) {
          try (CollectionPolicy policy = plan.parts().get(i).apply(i)) {
            List<DatasetCollector.Phase> phase =
                List.of(new DatasetCollector.Phase(policy, plan.rows().get(i)));
            parts.add(DatasetCollector.collect(sessions, phase, onRows));
          }
        }
      }
    } finally {
      Closeables.closeAll(sessions);
    }
    DatasetCollector.Rows rows = DatasetCollector.concat(parts);
    D4rlData data = rows.data();
    Map<String, String> facts = new LinkedHashMap<>(plan.facts().get());
    if (request.kind().antmaze().isPresent()) {
      facts.put("antmaze/episodes_reaching_goal", Integer.toString(labelAntmaze(data)));
    }
    String contentHash = DatasetContentHash.of(data, rows.infos());
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("task", request.task());
    meta.put("kind", request.kind().id());
    meta.put("rows", Integer.toString(data.rows()));
    meta.put("seed", Long.toString(request.seed()));
    meta.put("num_envs", Integer.toString(request.numEnvs()));
    meta.put("simulator", spec.simulator());
    meta.put("simulator_version", spec.simulatorVersion());
    meta.put("model_sha256", spec.modelSha256());
    meta.put("env_id", spec.envId());
    meta.put("project_version", PROJECT_VERSION);
    meta.put("content_sha256", contentHash);
    meta.putAll(plan.metadata());
    meta.putAll(facts);
    FloatPrecision precision =
        request.kind() == DatasetKind.MEDIUM_REPLAY
            ? FloatPrecision.FLOAT64
            : FloatPrecision.FLOAT32;
    D4rlDatasetWriter.write(
        output,
        data,
        D4rlWriteOptions.defaults()
            .withPrecision(precision)
            .withMetadata(meta)
            .withFloat64Infos(rows.infos()));
    boolean labelled = request.kind().antmaze().isPresent();
    int episodes = 0;
    double total = 0;
    for (int i = 0; i < data.rows(); i++) {
      total += data.rewards()[i];
      // Antmaze terminals mark goal rows inside episodes; its episodes end at time limits only.
      boolean ends = data.timeouts()[i] || (!labelled && data.terminals()[i]);
      if (ends || (labelled && i == data.rows() - 1)) {
        episodes++;
      }
    }
    return new Result(
        output,
        data.rows(),
        episodes,
        episodes == 0 ? Double.NaN : total / episodes,
        contentHash,
        plan.name(),
        facts);
  }

  /**
   * Antmaze labels as the evaluation reads them: a row that pays the evaluation goal's reward is
   * terminal (the evaluation episode would end there; the recording env walks on). Returns how many
   * episodes (split at time limits) reach the goal at least once.
   */
  static int labelAntmaze(D4rlData data) {
    int reaching = 0;
    boolean reached = false;
    for (int i = 0; i < data.rows(); i++) {
      boolean success = data.rewards()[i] >= 1.0;
      data.terminals()[i] = success;
      reached |= success;
      if (data.timeouts()[i] || i == data.rows() - 1) {
        reaching += reached ? 1 : 0;
        reached = false;
      }
    }
    return reaching;
  }

  /**
   * One session per client (at most one per env), each holding the next block of envs: session k's
   * env j is env {@code first_k + j} of the collection and is seeded {@code seed + first_k + j}, as
   * in a single session of all the envs.
   */
  private static void openSessions(
      List<EnvClient> clients, Request request, TaskSpec spec, List<VectorEnv> sessions) {
    // D4RL's v2 files carry the simulator state of every row, so ask for it where the task has it.
    String[] stateKeys =
        STATE_INFOS.stream().filter(k -> spec.info(k).isPresent()).toArray(String[]::new);
    int count = Math.min(clients.size(), request.numEnvs());
    int first = 0;
    for (int k = 0; k < count; k++) {
      int envs = request.numEnvs() / count + (k < request.numEnvs() % count ? 1 : 0);
      SessionOptions options =
          SessionOptions.of(envs, request.seed() + first).withInfoKeys(stateKeys);
      sessions.add(clients.get(k).createSession(request.task(), options));
      first += envs;
    }
  }
}
