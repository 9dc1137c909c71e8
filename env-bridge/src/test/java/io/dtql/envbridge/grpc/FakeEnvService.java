package io.dtql.envbridge.grpc;

import io.dtql.proto.env.v1.BoxSpec;
import io.dtql.proto.env.v1.CloseSessionRequest;
import io.dtql.proto.env.v1.CloseSessionResponse;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.dtql.proto.env.v1.DType;
import io.dtql.proto.env.v1.DescribeTaskRequest;
import io.dtql.proto.env.v1.DescribeTaskResponse;
import io.dtql.proto.env.v1.EnvServiceGrpc;
import io.dtql.proto.env.v1.HandshakeRequest;
import io.dtql.proto.env.v1.HandshakeResponse;
import io.dtql.proto.env.v1.InfoSpec;
import io.dtql.proto.env.v1.ListTasksRequest;
import io.dtql.proto.env.v1.ListTasksResponse;
import io.dtql.proto.env.v1.ProtocolVersion;
import io.dtql.proto.env.v1.ResetRequest;
import io.dtql.proto.env.v1.ResetResponse;
import io.dtql.proto.env.v1.ServerLimits;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.dtql.proto.env.v1.TaskSpec;
import io.dtql.proto.env.v1.Tensor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted EnvService for client tests: one task "toy" (obs 2, act 1 in [-1, 1]). Step answers
 * obs = [action, env id], reward = action. The spec lists infos "qpos" [3] and "qvel" [2]; with
 * {@link #offerInfos} the fake serves them: qpos = [env id, action (0 on reset), 7], qvel = [env
 * id, -env id]. Tests override single methods to inject faults and read the counters and recorded
 * requests.
 */
public class FakeEnvService extends EnvServiceGrpc.EnvServiceImplBase {
  public static final int OBS_DIM = 2;
  public static final int ACT_DIM = 1;

  final AtomicInteger stepCalls = new AtomicInteger();
  final AtomicInteger closeCalls = new AtomicInteger();
  final List<StepRequest> stepRequests = new ArrayList<>();
  final List<CreateSessionRequest> createRequests = new ArrayList<>();
  volatile int serverMajor = 1;

  /** Lists "step_stream" in the handshake and serves StepStream (off: a v1.0-style server). */
  volatile boolean offerStepStream;

  final AtomicInteger streamsOpened = new AtomicInteger();

  /** Lists "infos" in the handshake, echoes and serves info_keys (off: a v1.1-style server). */
  public volatile boolean offerInfos;

  /** The info keys of the session last created (the fake serves one session at a time). */
  volatile List<String> sessionInfoKeys = List.of();

  public static final Map<String, Integer> INFO_WIDTHS = Map.of("qpos", 3, "qvel", 2);

  static TaskSpec toySpec() {
    return TaskSpec.newBuilder()
        .setTaskId("toy")
        .setEnvId("Toy-v0")
        .setObservation(
            box(DType.DTYPE_FLOAT64, OBS_DIM, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
        .setAction(box(DType.DTYPE_FLOAT32, ACT_DIM, -1, 1))
        .setMaxEpisodeSteps(10)
        .setControlTimestep(0.008)
        .setSimulator("fake")
        .addInfos(InfoSpec.newBuilder().setName("qpos").addShape(3).setDescription("fake qpos"))
        .addInfos(InfoSpec.newBuilder().setName("qvel").addShape(2).setDescription("fake qvel"))
        .build();
  }

  private static BoxSpec box(DType dtype, int size, double low, double high) {
    double[] lows = new double[size];
    double[] highs = new double[size];
    Arrays.fill(lows, low);
    Arrays.fill(highs, high);
    return BoxSpec.newBuilder()
        .setDtype(dtype)
        .addShape(size)
        .setLow(TensorCodec.encodeDoubles(lows, size))
        .setHigh(TensorCodec.encodeDoubles(highs, size))
        .build();
  }

  @Override
  public void handshake(HandshakeRequest request, StreamObserver<HandshakeResponse> out) {
    out.onNext(
        HandshakeResponse.newBuilder()
            .setServerVersion(ProtocolVersion.newBuilder().setMajor(serverMajor).setMinor(3))
            .setServerName("fake")
            .addCapabilities("autoreset.next_step")
            .addAllCapabilities(offerStepStream ? List.of("step_stream") : List.of())
            .addAllCapabilities(offerInfos ? List.of("infos") : List.of())
            .setLimits(
                ServerLimits.newBuilder()
                    .setMaxSessions(4)
                    .setMaxEnvsPerSession(8)
                    .setMaxMessageBytes(1 << 20)
                    .setDefaultIdleTimeoutSeconds(60))
            .build());
    out.onCompleted();
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
    out.onNext(ListTasksResponse.newBuilder().addTasks(toySpec()).build());
    out.onCompleted();
  }

  @Override
  public void describeTask(DescribeTaskRequest request, StreamObserver<DescribeTaskResponse> out) {
    out.onNext(DescribeTaskResponse.newBuilder().setSpec(toySpec()).build());
    out.onCompleted();
  }

  @Override
  public void createSession(
      CreateSessionRequest request, StreamObserver<CreateSessionResponse> out) {
    createRequests.add(request);
    CreateSessionResponse.Builder response =
        CreateSessionResponse.newBuilder().setSessionId("s1").setSpec(toySpec());
    sessionInfoKeys = offerInfos ? List.copyOf(request.getInfoKeysList()) : List.of();
    for (String key : sessionInfoKeys) {
      if (!INFO_WIDTHS.containsKey(key)) {
        out.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "info_keys contains '"
                        + key
                        + "', which task 'toy' does not report; "
                        + "available: qpos, qvel")
                .asRuntimeException());
        return;
      }
    }
    response.addAllInfoKeys(sessionInfoKeys);
    for (int i = 0; i < request.getNumEnvs(); i++) {
      response.addEnvSeeds(
          request.hasEnvSeeds() ? request.getEnvSeeds().getSeeds(i) : request.getBaseSeed() + i);
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  @Override
  public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> out) {
    closeCalls.incrementAndGet();
    out.onNext(CloseSessionResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void reset(ResetRequest request, StreamObserver<ResetResponse> out) {
    int k = request.getEnvIdsCount() == 0 ? 2 : request.getEnvIdsCount();
    ResetResponse.Builder response =
        ResetResponse.newBuilder()
            .setObservations(TensorCodec.encodeDoubles(new double[k * OBS_DIM], k, OBS_DIM));
    int[] ids = new int[k];
    for (int i = 0; i < k; i++) {
      ids[i] = request.getEnvIdsCount() == 0 ? i : request.getEnvIds(i);
      response.addEnvIds(ids[i]);
    }
    response.putAllInfos(infos(sessionInfoKeys, ids, new float[k]));
    out.onNext(response.build());
    out.onCompleted();
  }

  @Override
  public void step(StepRequest request, StreamObserver<StepResponse> out) {
    stepCalls.incrementAndGet();
    stepRequests.add(request);
    out.onNext(withInfos(stepResponse(request), request));
    out.onCompleted();
  }

  /** Answers each streamed request as {@link #step} would (UNIMPLEMENTED unless offered). */
  @Override
  public StreamObserver<StepRequest> stepStream(StreamObserver<StepResponse> out) {
    if (!offerStepStream) {
      return super.stepStream(out);
    }
    streamsOpened.incrementAndGet();
    return new StreamObserver<>() {
      @Override
      public void onNext(StepRequest request) {
        stepRequests.add(request);
        onStreamedStep(request, out);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  /** One streamed step; tests override it to fail or stall. */
  void onStreamedStep(StepRequest request, StreamObserver<StepResponse> out) {
    out.onNext(withInfos(stepResponse(request), request));
  }

  /** The step's response with the session's infos added. */
  StepResponse withInfos(StepResponse response, StepRequest request) {
    if (sessionInfoKeys.isEmpty()) {
      return response;
    }
    int k = response.getEnvIdsCount();
    int[] ids = response.getEnvIdsList().stream().mapToInt(Integer::intValue).toArray();
    float[] actions = TensorCodec.decodeFloats(request.getActions(), "actions", k, ACT_DIM);
    return response.toBuilder().putAllInfos(infos(sessionInfoKeys, ids, actions)).build();
  }

  static Map<String, Tensor> infos(List<String> keys, int[] ids, float[] actions) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    int k = ids.length;
    for (String key : keys) {
      int width = INFO_WIDTHS.get(key);
      double[] values = new double[k * width];
      for (int i = 0; i < k; i++) {
        double[] row =
            key.equals("qpos")
                ? new double[] {ids[i], actions[i], 7}
                : new double[] {ids[i], -ids[i]};
        System.arraycopy(row, 0, values, i * width, width);
      }
      out.put(key, TensorCodec.encodeDoubles(values, k, width));
    }
    return out;
  }

  static StepResponse stepResponse(StepRequest request) {
    int k = (int) request.getActions().getShape(0);
    float[] actions = TensorCodec.decodeFloats(request.getActions(), "actions", k, ACT_DIM);
    double[] obs = new double[k * OBS_DIM];
    double[] rewards = new double[k];
    boolean[] terminated = new boolean[k];
    StepResponse.Builder response = StepResponse.newBuilder();
    for (int i = 0; i < k; i++) {
      int id = request.getEnvIdsCount() == 0 ? i : request.getEnvIds(i);
      obs[i * OBS_DIM] = actions[i];
      obs[i * OBS_DIM + 1] = id;
      rewards[i] = actions[i];
      terminated[i] = actions[i] > 0.5f;
      response.addEnvIds(id);
      response.addStatus(io.dtql.proto.env.v1.EnvStatus.ENV_STATUS_OK);
      response.addEpisodeSteps(1);
    }
    return response
        .setObservations(TensorCodec.encodeDoubles(obs, k, OBS_DIM))
        .setRewards(TensorCodec.encodeDoubles(rewards, k))
        .setTerminated(TensorCodec.encodeBools(terminated, k))
        .setTruncated(TensorCodec.encodeBools(new boolean[k], k))
        .setResetHappened(TensorCodec.encodeBools(new boolean[k], k))
        .build();
  }
}
