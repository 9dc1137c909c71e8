package io.dtql.cli;

import io.dtql.envbridge.grpc.TensorCodec;
import io.dtql.proto.env.v1.BoxSpec;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.dtql.proto.env.v1.DType;
import io.dtql.proto.env.v1.DescribeTaskRequest;
import io.dtql.proto.env.v1.DescribeTaskResponse;
import io.dtql.proto.env.v1.EnvServiceGrpc;
import io.dtql.proto.env.v1.HandshakeRequest;
import io.dtql.proto.env.v1.HandshakeResponse;
import io.dtql.proto.env.v1.ListTasksRequest;
import io.dtql.proto.env.v1.ListTasksResponse;
import io.dtql.proto.env.v1.ProtocolVersion;
import io.dtql.proto.env.v1.ServerLimits;
import io.dtql.proto.env.v1.TaskSpec;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulator server on a free loopback port that hosts hopper (obs 11, act 3) and walker2d (obs
 * 17, act 6) specs but runs no physics: it counts the sessions commands try to open, so tests can
 * show that a command stopped before any rollout. {@link #breakSpecOf} makes a task's spec break
 * the contract (a bounds tensor of the wrong byte length).
 */
final class FakeSimulator implements AutoCloseable {
  private final Map<String, TaskSpec> tasks = new LinkedHashMap<>();
  private final AtomicInteger sessionsRequested = new AtomicInteger();
  private final Server server;

  FakeSimulator() throws IOException {
    tasks.put("hopper", spec("hopper", 11, 3));
    tasks.put("walker2d", spec("walker2d", 17, 6));
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new Service())
            .build()
            .start();
  }

  /** The address to pass as {@code --target}. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** CreateSession calls received: zero means no rollout started. */
  int sessionsRequested() {
    return sessionsRequested.get();
  }

  /** From now on, {@code taskId}'s spec has an action bound one byte short. */
  void breakSpecOf(String taskId) {
    TaskSpec spec = tasks.get(taskId);
    BoxSpec action = spec.getAction();
    var low = action.getLow();
    var shortLow = low.toBuilder().setData(low.getData().substring(0, low.getData().size() - 1));
    tasks.put(
        taskId, spec.toBuilder().setAction(action.toBuilder().setLow(shortLow.build())).build());
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static TaskSpec spec(String taskId, int obsDim, int actDim) {
    return TaskSpec.newBuilder()
        .setTaskId(taskId)
        .setEnvId(taskId + "-fake")
        .setObservation(box(DType.DTYPE_FLOAT64, obsDim, Double.NEGATIVE_INFINITY))
        .setAction(box(DType.DTYPE_FLOAT32, actDim, 1))
        .setMaxEpisodeSteps(1000)
        .setControlTimestep(0.008)
        .setSimulator("fake")
        .build();
  }

  /** A box of {@code size} elements in [-bound, bound] (an infinite bound is unbounded). */
  private static BoxSpec box(DType dtype, int size, double bound) {
    double[] low = new double[size];
    double[] high = new double[size];
    Arrays.fill(low, -Math.abs(bound));
    Arrays.fill(high, Math.abs(bound));
    return BoxSpec.newBuilder()
        .setDtype(dtype)
        .addShape(size)
        .setLow(TensorCodec.encodeDoubles(low, size))
        .setHigh(TensorCodec.encodeDoubles(high, size))
        .build();
  }

  private final class Service extends EnvServiceGrpc.EnvServiceImplBase {
    @Override
    public void handshake(HandshakeRequest request, StreamObserver<HandshakeResponse> out) {
      out.onNext(
          HandshakeResponse.newBuilder()
              .setServerVersion(ProtocolVersion.newBuilder().setMajor(1).setMinor(1))
              .setServerName("fake")
              .setLimits(
                  ServerLimits.newBuilder()
                      .setMaxSessions(4)
                      .setMaxEnvsPerSession(64)
                      .setMaxMessageBytes(1 << 20)
                      .setDefaultIdleTimeoutSeconds(60))
              .build());
      out.onCompleted();
    }

    @Override
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
      out.onNext(ListTasksResponse.newBuilder().addAllTasks(tasks.values()).build());
      out.onCompleted();
    }

    @Override
    public void describeTask(
        DescribeTaskRequest request, StreamObserver<DescribeTaskResponse> out) {
      TaskSpec spec = tasks.get(request.getTaskId());
      if (spec == null) {
        out.onError(
            Status.NOT_FOUND
                .withDescription(
                    "unknown task_id '" + request.getTaskId() + "'; known: " + tasks.keySet())
                .asRuntimeException());
        return;
      }
      out.onNext(DescribeTaskResponse.newBuilder().setSpec(spec).build());
      out.onCompleted();
    }

    @Override
    public void createSession(
        CreateSessionRequest request, StreamObserver<CreateSessionResponse> out) {
      sessionsRequested.incrementAndGet();
      out.onError(
          Status.UNIMPLEMENTED.withDescription("the fake runs no physics").asRuntimeException());
    }
  }
}
