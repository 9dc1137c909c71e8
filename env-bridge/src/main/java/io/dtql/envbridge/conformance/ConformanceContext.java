package io.dtql.envbridge.conformance;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.grpc.RawEnvProbe;
import io.grpc.Status;
import java.util.Arrays;
import java.util.Random;

/**
 * What the checks share: a client for well-formed calls (stepping over StepStream when the server
 * offers it), one that always steps with unary Step, a raw probe for malformed calls, the task
 * under test, and assertion helpers that turn contract breaks into {@link CheckFailure}s.
 */
public final class ConformanceContext {
  private final EnvClient client;
  private final EnvClient unaryClient;
  private final RawEnvProbe probe;
  private final String taskId;
  private TaskSpec spec;

  ConformanceContext(EnvClient client, EnvClient unaryClient, RawEnvProbe probe, String taskId) {
    this.client = client;
    this.unaryClient = unaryClient;
    this.probe = probe;
    this.taskId = taskId;
  }

  public EnvClient client() {
    return client;
  }

  /** A client whose sessions step with unary Step calls only. */
  public EnvClient unaryClient() {
    return unaryClient;
  }

  public RawEnvProbe probe() {
    return probe;
  }

  public String taskId() {
    return taskId;
  }

  public ServerInfo serverInfo() {
    return client.serverInfo();
  }

  /** The spec of the task under test, fetched once. */
  public TaskSpec spec() {
    if (spec == null) {
      spec = client.describeTask(taskId);
    }
    return spec;
  }

  /** A fresh session of the task under test; the caller closes it. */
  public VectorEnv session(SessionOptions options) {
    return client.createSession(taskId, options);
  }

  /** Closes a session made through the probe, ignoring failures (its lease frees it anyway). */
  public void closeQuietly(String sessionId) {
    try {
      probe.closeSession(sessionId);
    } catch (EnvException e) {
      // Best effort: the idle timeout frees it otherwise.
    }
  }

  public static void require(boolean condition, String failureMessage) {
    if (!condition) {
      throw new CheckFailure(failureMessage);
    }
  }

  /** Runs {@code call}, which must fail with one of {@code codes}; returns the server's message. */
  public static String expectError(String what, Runnable call, Status.Code... codes) {
    try {
      call.run();
    } catch (EnvException e) {
      if (Arrays.asList(codes).contains(e.code())) {
        return e.getMessage();
      }
      throw new CheckFailure(
          what
              + ": expected "
              + Arrays.toString(codes)
              + ", got "
              + e.code()
              + " ("
              + e.getMessage()
              + ")");
    }
    throw new CheckFailure(what + ": expected " + Arrays.toString(codes) + ", but it succeeded");
  }

  /** {@code numEnvs} rows of uniform random actions within the action bounds. */
  public float[] randomActions(Random random, int numEnvs) {
    double[] low = spec().action().low();
    double[] high = spec().action().high();
    int actDim = low.length;
    float[] actions = new float[numEnvs * actDim];
    for (int i = 0; i < actions.length; i++) {
      int j = i % actDim;
      actions[i] = (float) (low[j] + random.nextDouble() * (high[j] - low[j]));
    }
    return actions;
  }

  /** {@code numEnvs} rows whose every element is at its lower or upper bound, at random. */
  public float[] extremeActions(Random random, int numEnvs) {
    double[] low = spec().action().low();
    double[] high = spec().action().high();
    int actDim = low.length;
    float[] actions = new float[numEnvs * actDim];
    for (int i = 0; i < actions.length; i++) {
      int j = i % actDim;
      boolean upper = random.nextBoolean();
      actions[i] = floatAtBound(upper ? high[j] : low[j], upper);
    }
    return actions;
  }

  /**
   * The float nearest {@code bound} that is not inside the box, so a server clipping in float64
   * maps it to exactly {@code bound} (a plain cast may round a bound such as 0.4 inwards).
   */
  static float floatAtBound(double bound, boolean upper) {
    float value = (float) bound;
    if (upper && value < bound) {
      return Math.nextUp(value);
    }
    if (!upper && value > bound) {
      return Math.nextDown(value);
    }
    return value;
  }
}
