package io.dtql.envbridge.conformance;

import static io.dtql.envbridge.conformance.ConformanceContext.expectError;
import static io.dtql.envbridge.conformance.ConformanceContext.require;

import io.dtql.envbridge.BoxSpec;
import io.dtql.envbridge.DType;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.grpc.Status;
import java.util.List;

/** Handshake, health and task discovery. */
final class ProtocolChecks {
  private static final String UNKNOWN_TASK = "no-such-task-conformance";

  private ProtocolChecks() {}

  static List<Check> checks() {
    return List.of(
        new Check("handshake version and capabilities", ProtocolChecks::handshake),
        new Check("major version mismatch -> FAILED_PRECONDITION", ProtocolChecks::majorMismatch),
        new Check("health SERVING", ProtocolChecks::health),
        new Check("list and describe tasks, spec sanity", ProtocolChecks::tasks),
        new Check("unknown task -> NOT_FOUND", ProtocolChecks::unknownTask));
  }

  private static String handshake(ConformanceContext ctx) {
    ServerInfo info = ctx.serverInfo();
    require(info.protocolMajor() == 1, "server major version is " + info.protocolMajor());
    require(!info.serverName().isBlank(), "server_name is empty");
    require(info.maxSessions() > 0, "limits.max_sessions is " + info.maxSessions());
    require(
        info.maxEnvsPerSession() > 0, "limits.max_envs_per_session is " + info.maxEnvsPerSession());
    require(info.maxMessageBytes() > 0, "limits.max_message_bytes is " + info.maxMessageBytes());
    require(
        info.defaultIdleTimeoutSeconds() > 0,
        "limits.default_idle_timeout_seconds is " + info.defaultIdleTimeoutSeconds());
    require(
        info.hasCapability("autoreset.next_step"),
        "capabilities lack autoreset.next_step (the default mode): " + info.capabilities());
    return info.serverName()
        + " v"
        + info.protocolMajor()
        + "."
        + info.protocolMinor()
        + " "
        + info.capabilities();
  }

  private static String majorMismatch(ConformanceContext ctx) {
    return expectError(
        "Handshake with client major 2",
        () -> ctx.probe().handshake(2),
        Status.Code.FAILED_PRECONDITION);
  }

  private static String health(ConformanceContext ctx) {
    String status = ctx.probe().healthStatus("");
    require("SERVING".equals(status), "health status of \"\" is " + status);
    return status;
  }

  private static String tasks(ConformanceContext ctx) {
    List<TaskSpec> tasks = ctx.client().listTasks();
    require(!tasks.isEmpty(), "ListTasks returned no tasks");
    require(
        tasks.stream().anyMatch(t -> t.taskId().equals(ctx.taskId())),
        "ListTasks lacks task '" + ctx.taskId() + "'");
    for (TaskSpec listed : tasks) {
      TaskSpec described = ctx.client().describeTask(listed.taskId());
      require(
          described.equals(listed),
          "DescribeTask(" + listed.taskId() + ") differs from its ListTasks entry");
      checkSpec(listed);
    }
    TaskSpec spec = ctx.spec();
    return tasks.size()
        + " tasks; "
        + spec.taskId()
        + ": obs "
        + spec.obsDim()
        + ", act "
        + spec.actDim()
        + ", max steps "
        + spec.maxEpisodeSteps();
  }

  private static void checkSpec(TaskSpec spec) {
    String id = spec.taskId();
    require(spec.obsDim() > 0, id + ": observation has no elements");
    require(spec.actDim() > 0, id + ": action has no elements");
    BoxSpec action = spec.action();
    require(
        action.dtype() == DType.FLOAT32 || action.dtype() == DType.FLOAT64,
        id + ": action dtype is " + action.dtype());
    double[] low = action.low();
    double[] high = action.high();
    for (int i = 0; i < low.length; i++) {
      require(
          Double.isFinite(low[i]) && Double.isFinite(high[i]) && low[i] < high[i],
          id + ": action bound " + i + " is [" + low[i] + ", " + high[i] + "]");
    }
    DType obs = spec.observation().dtype();
    require(obs == DType.FLOAT64 || obs == DType.FLOAT32, id + ": observation dtype is " + obs);
    require(spec.maxEpisodeSteps() > 0, id + ": max_episode_steps is 0");
    require(spec.controlTimestep() > 0, id + ": control_timestep is " + spec.controlTimestep());
  }

  private static String unknownTask(ConformanceContext ctx) {
    expectError(
        "DescribeTask(" + UNKNOWN_TASK + ")",
        () -> ctx.client().describeTask(UNKNOWN_TASK),
        Status.Code.NOT_FOUND);
    return expectError(
        "CreateSession(" + UNKNOWN_TASK + ")",
        () -> ctx.client().createSession(UNKNOWN_TASK, SessionOptions.of(1, 0)).close(),
        Status.Code.NOT_FOUND);
  }
}
