package io.dtql.envbridge.conformance;

import static io.dtql.envbridge.conformance.ConformanceContext.expectError;
import static io.dtql.envbridge.conformance.ConformanceContext.require;

import io.dtql.envbridge.DType;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.VectorEnv;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/** Session lifecycle and server limits. */
final class SessionChecks {
  private static final String UNKNOWN_SESSION = "no-such-session-conformance";

  /** Opening more sessions than this to find the limit would take too long to be a check. */
  private static final int MAX_TESTABLE_SESSIONS = 256;

  private SessionChecks() {}

  static List<Check> checks() {
    return List.of(
        new Check("unknown session -> NOT_FOUND", SessionChecks::unknownSession),
        new Check("closed session -> NOT_FOUND", SessionChecks::closedSession),
        new Check("num_envs 0 -> INVALID_ARGUMENT", SessionChecks::zeroEnvs),
        new Check(
            "oversize batch -> INVALID_ARGUMENT or RESOURCE_EXHAUSTED",
            SessionChecks::oversizeBatch),
        new Check("too many sessions -> RESOURCE_EXHAUSTED", SessionChecks::tooManySessions));
  }

  private static String unknownSession(ConformanceContext ctx) {
    int actDim = ctx.spec().actDim();
    expectError(
        "Reset(unknown session)", () -> ctx.probe().reset(UNKNOWN_SESSION), Status.Code.NOT_FOUND);
    expectError(
        "Step(unknown session)",
        () ->
            ctx.probe()
                .step(UNKNOWN_SESSION, DType.FLOAT32, new long[] {1, actDim}, new byte[4 * actDim]),
        Status.Code.NOT_FOUND);
    return expectError(
        "CloseSession(unknown session)",
        () -> ctx.probe().closeSession(UNKNOWN_SESSION),
        Status.Code.NOT_FOUND);
  }

  private static String closedSession(ConformanceContext ctx) {
    String id;
    try (VectorEnv env = ctx.session(SessionOptions.of(1, 0))) {
      env.reset();
      id = env.sessionId();
    }
    expectError("Reset(closed session)", () -> ctx.probe().reset(id), Status.Code.NOT_FOUND);
    return expectError(
        "CloseSession(closed session)", () -> ctx.probe().closeSession(id), Status.Code.NOT_FOUND);
  }

  private static String zeroEnvs(ConformanceContext ctx) {
    return expectError(
        "CreateSession(num_envs=0)",
        () -> ctx.closeQuietly(ctx.probe().createSession(ctx.taskId(), 0, 0)),
        Status.Code.INVALID_ARGUMENT);
  }

  private static String oversizeBatch(ConformanceContext ctx) {
    int max = ctx.serverInfo().maxEnvsPerSession();
    require(max < Integer.MAX_VALUE, "max_envs_per_session is unlimited; cannot exceed it");
    return expectError(
        "CreateSession(num_envs=" + (max + 1) + ")",
        () -> ctx.closeQuietly(ctx.probe().createSession(ctx.taskId(), max + 1, 0)),
        Status.Code.INVALID_ARGUMENT,
        Status.Code.RESOURCE_EXHAUSTED);
  }

  private static String tooManySessions(ConformanceContext ctx) {
    int max = ctx.serverInfo().maxSessions();
    require(
        max <= MAX_TESTABLE_SESSIONS,
        "max_sessions is "
            + max
            + "; start the server with a limit <= "
            + MAX_TESTABLE_SESSIONS
            + " to test it");
    List<String> opened = new ArrayList<>();
    try {
      for (int i = 0; i < max; i++) {
        try {
          opened.add(ctx.probe().createSession(ctx.taskId(), 1, i));
        } catch (EnvException e) {
          throw new CheckFailure(
              "session " + (i + 1) + " of max_sessions=" + max + " was refused: " + e.getMessage());
        }
      }
      return expectError(
          "CreateSession beyond max_sessions=" + max,
          () -> opened.add(ctx.probe().createSession(ctx.taskId(), 1, max)),
          Status.Code.RESOURCE_EXHAUSTED);
    } finally {
      opened.forEach(ctx::closeQuietly);
    }
  }
}
