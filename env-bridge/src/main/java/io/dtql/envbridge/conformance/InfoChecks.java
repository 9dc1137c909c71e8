package io.dtql.envbridge.conformance;

import static io.dtql.envbridge.conformance.ConformanceContext.expectError;
import static io.dtql.envbridge.conformance.ConformanceContext.require;

import io.dtql.envbridge.InfoSpec;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.grpc.GrpcEnvClient;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Info tensors (protocol v1.2, capability "infos"), optional: a server that does not list the
 * capability passes with a note. One that does must send exactly the info keys a session asked for,
 * in the advertised shapes (e.g. MuJoCo's qpos [nq] and qvel [nv]), on reset, steps and
 * auto-resets, none to a session that asked for none, and refuse an unknown key.
 */
final class InfoChecks {
  static final String UNKNOWN_KEY = "no-such-info-conformance";

  /** Steps with extreme actions: enough for hopper-like tasks to end an episode and auto-reset. */
  private static final int STEPS = 200;

  private InfoChecks() {}

  static List<Check> checks() {
    return List.of(
        new Check("requested infos have the advertised shapes", InfoChecks::shapes),
        new Check("unknown info key -> INVALID_ARGUMENT", InfoChecks::unknownKey));
  }

  private static String notOffered(ConformanceContext ctx) {
    return ctx.serverInfo().hasCapability(GrpcEnvClient.INFOS)
        ? null
        : "server does not offer '" + GrpcEnvClient.INFOS + "' (optional)";
  }

  private static String shapes(ConformanceContext ctx) {
    String skip = notOffered(ctx);
    if (skip != null) {
      return skip;
    }
    List<InfoSpec> infos = ctx.spec().infos();
    if (infos.isEmpty()) {
      return "task " + ctx.taskId() + " advertises no infos";
    }
    String[] keys = infos.stream().map(InfoSpec::name).toArray(String[]::new);
    int n = 2;
    int autoResets = 0;
    // The client refuses (MalformedResponseException) an info of the wrong shape, dtype or byte
    // count, a missing one and an unrequested one; the checks below say what was expected.
    try (VectorEnv env = ctx.session(SessionOptions.of(n, 0).withInfoKeys(keys))) {
      require(
          env.infoKeys().equals(List.of(keys)),
          "asked for info keys " + List.of(keys) + ", granted " + env.infoKeys());
      requireShapes("Reset", env.reset().infos(), n, infos);
      Random random = new Random(6);
      for (int t = 0; t < STEPS; t++) {
        StepResult r = env.step(ctx.extremeActions(random, n));
        requireShapes("step " + t, r.infos(), n, infos);
        for (boolean reset : r.resetHappened()) {
          autoResets += reset ? 1 : 0;
        }
      }
    }
    try (VectorEnv plain = ctx.session(SessionOptions.of(n, 0))) {
      require(plain.reset().infos().isEmpty(), "a session without info_keys got infos on Reset");
      require(
          plain.step(ctx.randomActions(new Random(7), n)).infos().isEmpty(),
          "a session without info_keys got infos on Step");
    }
    String shapes =
        infos.stream()
            .map(i -> i.name() + " " + Arrays.toString(i.shape()))
            .collect(Collectors.joining(", "));
    return shapes
        + " on Reset and "
        + STEPS
        + " steps ("
        + autoResets
        + " auto-resets); none without info_keys";
  }

  private static void requireShapes(
      String where, Map<String, double[]> got, int n, List<InfoSpec> infos) {
    require(
        got.size() == infos.size(),
        where + ": " + got.size() + " infos for " + infos.size() + " keys asked");
    for (InfoSpec info : infos) {
      double[] values = got.get(info.name());
      require(values != null, where + ": no info '" + info.name() + "'");
      require(
          values.length == n * info.width(),
          where
              + ": info '"
              + info.name()
              + "' has "
              + values.length
              + " values, expected "
              + n
              + " envs x "
              + info.width());
    }
  }

  private static String unknownKey(ConformanceContext ctx) {
    String skip = notOffered(ctx);
    if (skip != null) {
      return skip;
    }
    String message =
        expectError(
            "CreateSession(info_keys=[" + UNKNOWN_KEY + "])",
            () ->
                ctx.closeQuietly(
                    ctx.probe().createSession(ctx.taskId(), 1, 0, List.of(UNKNOWN_KEY))),
            Status.Code.INVALID_ARGUMENT);
    require(
        message.contains(UNKNOWN_KEY),
        "the INVALID_ARGUMENT message does not name the key '" + UNKNOWN_KEY + "': " + message);
    for (InfoSpec info : ctx.spec().infos()) {
      require(
          message.contains(info.name()),
          "the INVALID_ARGUMENT message does not list the available key '"
              + info.name()
              + "': "
              + message);
    }
    return message;
  }
}
