package io.dtql.envbridge.grpc;

import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.InfoSpec;
import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.envbridge.NotFoundException;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.proto.env.v1.CloseSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.dtql.proto.env.v1.ResetRequest;
import io.dtql.proto.env.v1.ResetResponse;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.dtql.proto.env.v1.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote session. Checks what it can cheaply check before sending (action count, NaN/Inf, env id
 * range) so mistakes fail fast with a local message; the server still validates everything.
 */
final class GrpcVectorEnv implements VectorEnv {
  private static final Logger log = LoggerFactory.getLogger(GrpcVectorEnv.class);

  private final GrpcEnvClient client;
  private final String sessionId;
  private final TaskSpec spec;
  private final long[] envSeeds;
  private final long[] observationShape;

  /** The granted info keys and each one's per-env shape, in request order. */
  private final Map<String, long[]> infoShapes;

  private final AtomicBoolean closed = new AtomicBoolean();

  /** Null when steps go as unary calls; otherwise guarded by its own monitor (one step at once). */
  private final StepStreamCall stepStream;

  private GrpcVectorEnv(
      GrpcEnvClient client,
      String sessionId,
      TaskSpec spec,
      long[] envSeeds,
      Map<String, long[]> infoShapes) {
    this.client = client;
    this.sessionId = sessionId;
    this.spec = spec;
    this.envSeeds = envSeeds;
    this.infoShapes = infoShapes;
    this.stepStream = client.newStepStreamOrNull();
    this.observationShape = longs(spec.observation().shape());
  }

  static GrpcVectorEnv open(
      GrpcEnvClient client, CreateSessionResponse response, SessionOptions requested) {
    if (response.getSessionId().isEmpty()) {
      throw new IllegalArgumentException("session_id is empty");
    }
    TaskSpec spec = ProtoConversions.taskSpec(response.getSpec());
    long[] seeds = response.getEnvSeedsList().stream().mapToLong(Long::longValue).toArray();
    if (seeds.length != requested.numEnvs()) {
      throw new IllegalArgumentException(
          "env_seeds has " + seeds.length + " seeds for num_envs=" + requested.numEnvs());
    }
    List<String> granted = response.getInfoKeysList();
    if (!granted.equals(requested.infoKeys())) {
      throw new IllegalArgumentException(
          "info_keys granted "
              + granted
              + " but the session asked for "
              + requested.infoKeys()
              + (granted.isEmpty() ? " (a server without capability 'infos' ignores them)" : ""));
    }
    Map<String, long[]> infoShapes = new LinkedHashMap<>();
    for (String key : granted) {
      InfoSpec info =
          spec.info(key)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "info_keys grants '" + key + "', which spec.infos does not list"));
      infoShapes.put(key, longs(info.shape()));
    }
    return new GrpcVectorEnv(
        client, response.getSessionId(), spec, seeds, Collections.unmodifiableMap(infoShapes));
  }

  @Override
  public TaskSpec spec() {
    return spec;
  }

  @Override
  public List<String> infoKeys() {
    return List.copyOf(infoShapes.keySet());
  }

  @Override
  public int numEnvs() {
    return envSeeds.length;
  }

  @Override
  public long[] envSeeds() {
    return envSeeds.clone();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public ResetResult reset() {
    return doReset(null, null);
  }

  @Override
  public ResetResult reset(int[] envIds, long[] seedsOrNull) {
    checkEnvIds(envIds);
    if (seedsOrNull != null && seedsOrNull.length != envIds.length) {
      throw new IllegalArgumentException(
          "seedsOrNull must have one seed per env id ("
              + envIds.length
              + "), got "
              + seedsOrNull.length);
    }
    return doReset(envIds, seedsOrNull);
  }

  private ResetResult doReset(int[] envIds, long[] seedsOrNull) {
    ensureOpen();
    ResetRequest.Builder request = ResetRequest.newBuilder().setSessionId(sessionId);
    if (envIds != null) {
      for (int id : envIds) {
        request.addEnvIds(id);
      }
    }
    if (seedsOrNull != null) {
      for (long seed : seedsOrNull) {
        request.addSeeds(seed);
      }
    }
    ResetResponse response = client.call("Reset", s -> s.reset(request.build()));
    int expected = envIds == null ? numEnvs() : envIds.length;
    return GrpcEnvClient.decode("ResetResponse", () -> decodeReset(response, expected));
  }

  private ResetResult decodeReset(ResetResponse response, int expected) {
    int[] ids = envIdsOf(response.getEnvIdsCount(), response::getEnvIds, expected);
    double[] obs =
        TensorCodec.decodeDoubles(
            response.getObservations(), "observations", batchShape(ids.length, observationShape));
    return new ResetResult(
        ids, spec.obsDim(), obs, decodeInfos(response.getInfosMap(), ids.length));
  }

  @Override
  public StepResult step(float[] actions) {
    return doStep(null, numEnvs(), actions);
  }

  @Override
  public StepResult step(int[] envIds, float[] actions) {
    checkEnvIds(envIds);
    return doStep(envIds, envIds.length, actions);
  }

  private StepResult doStep(int[] envIds, int k, float[] actions) {
    ensureOpen();
    int actDim = spec.actDim();
    if (actions == null || actions.length != (long) k * actDim) {
      throw new InvalidArgumentException(
          "actions must have "
              + k
              + " envs * actDim "
              + actDim
              + " = "
              + (long) k * actDim
              + " values, got "
              + (actions == null ? "null" : actions.length),
          null);
    }
    for (int i = 0; i < actions.length; i++) {
      if (!Float.isFinite(actions[i])) {
        throw new InvalidArgumentException(
            "actions["
                + i
                + "] (env row "
                + i / actDim
                + ") is "
                + actions[i]
                + "; actions must be finite",
            null);
      }
    }
    StepRequest.Builder request = StepRequest.newBuilder().setSessionId(sessionId);
    if (envIds != null) {
      for (int id : envIds) {
        request.addEnvIds(id);
      }
    }
    request.setActions(TensorCodec.encodeFloats(actions, batchShape(k, actionShape())));
    StepResponse response = send(request.build());
    return GrpcEnvClient.decode("StepResponse", () -> decodeStep(response, k));
  }

  private StepResponse send(StepRequest request) {
    if (stepStream == null) {
      return client.call("Step", s -> s.step(request));
    }
    synchronized (stepStream) {
      ensureOpen();
      client.requireOpen("Step");
      return stepStream.step(request);
    }
  }

  private StepResult decodeStep(StepResponse response, int k) {
    int[] ids = envIdsOf(response.getEnvIdsCount(), response::getEnvIds, k);
    double[] obs =
        TensorCodec.decodeDoubles(
            response.getObservations(), "observations", batchShape(k, observationShape));
    double[] rewards = TensorCodec.decodeDoubles(response.getRewards(), "rewards", k);
    boolean[] terminated = TensorCodec.decodeBools(response.getTerminated(), "terminated", k);
    boolean[] truncated = TensorCodec.decodeBools(response.getTruncated(), "truncated", k);
    boolean[] resetHappened =
        TensorCodec.decodeBools(response.getResetHappened(), "reset_happened", k);
    if (response.getStatusCount() != k || response.getEpisodeStepsCount() != k) {
      throw new IllegalArgumentException(
          "status/episode_steps must have "
              + k
              + " entries, got "
              + response.getStatusCount()
              + "/"
              + response.getEpisodeStepsCount());
    }
    EnvStatus[] status = new EnvStatus[k];
    int[] episodeSteps = new int[k];
    for (int i = 0; i < k; i++) {
      status[i] = ProtoConversions.envStatus(response.getStatus(i), "status[" + i + "]");
      episodeSteps[i] = response.getEpisodeSteps(i);
    }
    return new StepResult(
        ids,
        spec.obsDim(),
        obs,
        rewards,
        terminated,
        truncated,
        resetHappened,
        status,
        episodeSteps,
        decodeInfos(response.getInfosMap(), k));
  }

  /**
   * Exactly the granted infos, each a float64 tensor {@code [k, shape...]}; anything else breaks
   * the contract (the message names the key).
   */
  private Map<String, double[]> decodeInfos(Map<String, Tensor> infos, int k) {
    if (infoShapes.isEmpty() && infos.isEmpty()) {
      return Map.of();
    }
    for (String key : infos.keySet()) {
      if (!infoShapes.containsKey(key)) {
        throw new IllegalArgumentException(
            "infos has '" + key + "', which the session did not ask for " + infoKeys());
      }
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> entry : infoShapes.entrySet()) {
      String key = entry.getKey();
      String field = "infos['" + key + "']";
      Tensor tensor = infos.get(key);
      if (tensor == null) {
        throw new IllegalArgumentException(
            "infos has no '" + key + "' (the session asked for " + infoKeys() + ")");
      }
      if (tensor.getDtype() != io.dtql.proto.env.v1.DType.DTYPE_FLOAT64) {
        throw new IllegalArgumentException(
            field + ": dtype " + tensor.getDtype() + ", expected DTYPE_FLOAT64");
      }
      out.put(key, TensorCodec.decodeDoubles(tensor, field, batchShape(k, entry.getValue())));
    }
    return out;
  }

  private interface IntAt {
    int get(int index);
  }

  private static int[] envIdsOf(int count, IntAt idAt, int expected) {
    if (count != expected) {
      throw new IllegalArgumentException("env_ids has " + count + " entries, expected " + expected);
    }
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = idAt.get(i);
    }
    return ids;
  }

  private long[] actionShape() {
    return longs(spec.action().shape());
  }

  private static long[] longs(int[] shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }

  private static long[] batchShape(int k, long[] rowShape) {
    long[] shape = new long[rowShape.length + 1];
    shape[0] = k;
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return shape;
  }

  private void checkEnvIds(int[] envIds) {
    if (envIds == null || envIds.length == 0) {
      throw new IllegalArgumentException("envIds must name at least one env");
    }
    for (int id : envIds) {
      if (id < 0 || id >= numEnvs()) {
        throw new InvalidArgumentException(
            "env id " + id + " is out of range [0, " + numEnvs() + ")", null);
      }
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("session " + sessionId + " is closed");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (stepStream != null) {
      client.forget(stepStream);
    }
    if (client.isClosed()) {
      return; // the client's close cancelled the stream and the channel is gone
    }
    if (stepStream != null) {
      synchronized (stepStream) {
        stepStream.close();
      }
    }
    try {
      client.call(
          "CloseSession",
          s -> s.closeSession(CloseSessionRequest.newBuilder().setSessionId(sessionId).build()));
    } catch (NotFoundException e) {
      // Already gone on the server (idle timeout); closing is idempotent, so nothing to do.
      log.debug("session {} was already closed on the server: {}", sessionId, e.getMessage());
    } catch (EnvException e) {
      // A close must not mask the caller's own error (it often runs in try-with-resources after
      // a failure); the server's idle timeout frees the session if this call did not.
      log.warn("could not close session {}: {}", sessionId, e.getMessage());
    }
  }
}
