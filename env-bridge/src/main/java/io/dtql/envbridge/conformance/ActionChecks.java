package io.dtql.envbridge.conformance;

import static io.dtql.envbridge.conformance.ConformanceContext.expectError;
import static io.dtql.envbridge.conformance.ConformanceContext.require;

import io.dtql.envbridge.DType;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** What a server must do with the actions it is sent: refuse bad ones, clip out-of-range ones. */
final class ActionChecks {
  private static final int NUM_ENVS = 2;

  /** Allocating more than this for the oversize message would be unreasonable for a check. */
  private static final long MAX_TESTABLE_MESSAGE_BYTES = 512L * 1024 * 1024;

  private ActionChecks() {}

  static List<Check> checks() {
    return List.of(
        new Check("step before reset -> FAILED_PRECONDITION", ActionChecks::stepBeforeReset),
        new Check("wrong action shape -> INVALID_ARGUMENT", ActionChecks::wrongShape),
        new Check("wrong action dtype (INT32) -> INVALID_ARGUMENT", ActionChecks::wrongDtype),
        new Check("NaN action -> INVALID_ARGUMENT", ctx -> nonFinite(ctx, Float.NaN)),
        new Check("Inf action -> INVALID_ARGUMENT", ctx -> nonFinite(ctx, Float.POSITIVE_INFINITY)),
        new Check("out-of-range actions are clipped", ActionChecks::clipping),
        new Check("message too large -> RESOURCE_EXHAUSTED", ActionChecks::messageTooLarge));
  }

  private static String stepBeforeReset(ConformanceContext ctx) {
    try (VectorEnv env = ctx.session(SessionOptions.of(NUM_ENVS, 0))) {
      float[] actions = ctx.randomActions(new Random(0), NUM_ENVS);
      return expectError(
          "Step before Reset", () -> env.step(actions), Status.Code.FAILED_PRECONDITION);
    }
  }

  private static String wrongShape(ConformanceContext ctx) {
    int actDim = ctx.spec().actDim();
    try (VectorEnv env = ctx.session(SessionOptions.of(NUM_ENVS, 0))) {
      env.reset();
      String id = env.sessionId();
      expectError(
          "Step with shape [n, actDim+1]",
          () ->
              ctx.probe()
                  .step(
                      id,
                      DType.FLOAT32,
                      new long[] {NUM_ENVS, actDim + 1},
                      new byte[4 * NUM_ENVS * (actDim + 1)]),
          Status.Code.INVALID_ARGUMENT);
      expectError(
          "Step with one env row too few",
          () ->
              ctx.probe()
                  .step(
                      id,
                      DType.FLOAT32,
                      new long[] {NUM_ENVS - 1, actDim},
                      new byte[4 * (NUM_ENVS - 1) * actDim]),
          Status.Code.INVALID_ARGUMENT);
      return expectError(
          "Step with data shorter than its shape",
          () ->
              ctx.probe()
                  .step(
                      id,
                      DType.FLOAT32,
                      new long[] {NUM_ENVS, actDim},
                      new byte[4 * NUM_ENVS * actDim - 4]),
          Status.Code.INVALID_ARGUMENT);
    }
  }

  private static String wrongDtype(ConformanceContext ctx) {
    int actDim = ctx.spec().actDim();
    try (VectorEnv env = ctx.session(SessionOptions.of(NUM_ENVS, 0))) {
      env.reset();
      return expectError(
          "Step with INT32 actions",
          () ->
              ctx.probe()
                  .step(
                      env.sessionId(),
                      DType.INT32,
                      new long[] {NUM_ENVS, actDim},
                      new byte[4 * NUM_ENVS * actDim]),
          Status.Code.INVALID_ARGUMENT);
    }
  }

  private static String nonFinite(ConformanceContext ctx, float bad) {
    int actDim = ctx.spec().actDim();
    try (VectorEnv env = ctx.session(SessionOptions.of(NUM_ENVS, 0))) {
      env.reset();
      float[] actions = new float[NUM_ENVS * actDim];
      actions[actions.length - 1] = bad;
      return expectError(
          "Step with a " + bad + " action",
          () ->
              ctx.probe()
                  .step(
                      env.sessionId(),
                      DType.FLOAT32,
                      new long[] {NUM_ENVS, actDim},
                      littleEndian(actions)),
          Status.Code.INVALID_ARGUMENT);
    }
  }

  private static String clipping(ConformanceContext ctx) {
    double[] low = ctx.spec().action().low();
    double[] high = ctx.spec().action().high();
    int steps = 5;
    try (VectorEnv inside = ctx.session(SessionOptions.of(NUM_ENVS, 11));
        VectorEnv outside = ctx.session(SessionOptions.of(NUM_ENVS, 11))) {
      require(
          Arrays.equals(inside.reset().observations(), outside.reset().observations()),
          "two sessions with the same seed reset to different observations");
      Random random = new Random(1);
      for (int t = 0; t < steps; t++) {
        float[] atBounds = new float[NUM_ENVS * low.length];
        float[] beyond = new float[atBounds.length];
        for (int i = 0; i < atBounds.length; i++) {
          int j = i % low.length;
          boolean upper = random.nextBoolean();
          double width = high[j] - low[j];
          atBounds[i] = ConformanceContext.floatAtBound(upper ? high[j] : low[j], upper);
          // Nine widths past the bound: as far out as 10x the bounds of [-1, 1].
          beyond[i] = (float) (upper ? high[j] + 9 * width : low[j] - 9 * width);
        }
        StepResult a = inside.step(atBounds);
        StepResult b = outside.step(beyond);
        require(
            Arrays.equals(a.observations(), b.observations())
                && Arrays.equals(a.rewards(), b.rewards()),
            "step "
                + t
                + ": actions far outside the bounds gave a different result than the "
                + "bounds themselves (not clipped?)");
      }
    }
    return steps + " steps identical with actions 10x beyond the bounds";
  }

  private static String messageTooLarge(ConformanceContext ctx) {
    long limit = ctx.serverInfo().maxMessageBytes();
    require(
        limit <= MAX_TESTABLE_MESSAGE_BYTES,
        "max_message_bytes is "
            + limit
            + "; too large to test (limit "
            + MAX_TESTABLE_MESSAGE_BYTES
            + ")");
    int actDim = ctx.spec().actDim();
    long rows = (limit + 1024) / (4L * actDim) + 1;
    try (VectorEnv env = ctx.session(SessionOptions.of(1, 0))) {
      env.reset();
      byte[] data = new byte[Math.toIntExact(rows * 4 * actDim)];
      return expectError(
          "Step with a " + data.length + "-byte actions tensor",
          () -> ctx.probe().step(env.sessionId(), DType.FLOAT32, new long[] {rows, actDim}, data),
          Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }
}
