package io.dtql.envbridge.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.dtql.envbridge.EnvDeadlineExceededException;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.FailedPreconditionException;
import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.envbridge.MalformedResponseException;
import io.dtql.envbridge.NotFoundException;
import io.dtql.envbridge.ProtocolMismatchException;
import io.dtql.envbridge.ResourceExhaustedException;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.proto.env.v1.CloseSessionRequest;
import io.dtql.proto.env.v1.CloseSessionResponse;
import io.dtql.proto.env.v1.DescribeTaskRequest;
import io.dtql.proto.env.v1.DescribeTaskResponse;
import io.dtql.proto.env.v1.HandshakeRequest;
import io.dtql.proto.env.v1.HandshakeResponse;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcEnvClientTest {
  private InProcessFake fake;

  private GrpcEnvClient connect(FakeEnvService service) throws Exception {
    return connect(service, ClientOptions.defaults());
  }

  private GrpcEnvClient connect(FakeEnvService service, ClientOptions options) throws Exception {
    fake = InProcessFake.start(service, true);
    return fake.connect(options);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void handshakeFillsServerInfo() throws Exception {
    try (GrpcEnvClient client = connect(new FakeEnvService())) {
      assertEquals(1, client.serverInfo().protocolMajor());
      assertEquals(3, client.serverInfo().protocolMinor());
      assertEquals("fake", client.serverInfo().serverName());
      assertEquals(4, client.serverInfo().maxSessions());
      assertEquals(1 << 20, client.serverInfo().maxMessageBytes());
      assertTrue(client.serverInfo().hasCapability("autoreset.next_step"));
    }
  }

  @Test
  void serverRefusingClientVersionRaisesProtocolMismatch() {
    FakeEnvService refusing =
        new FakeEnvService() {
          @Override
          public void handshake(HandshakeRequest request, StreamObserver<HandshakeResponse> out) {
            out.onError(
                Status.FAILED_PRECONDITION
                    .withDescription("client_version.major=1 is not supported")
                    .asRuntimeException());
          }
        };
    var error = assertThrows(ProtocolMismatchException.class, () -> connect(refusing));
    assertTrue(error.getMessage().contains("client_version.major=1"), error.getMessage());
    assertTrue(fake.channel.isShutdown(), "a failed handshake must release the channel");
  }

  @Test
  void serverWithOtherMajorVersionIsRefusedByClient() {
    FakeEnvService v2 = new FakeEnvService();
    v2.serverMajor = 2;
    var error = assertThrows(ProtocolMismatchException.class, () -> connect(v2));
    assertTrue(error.getMessage().contains("speaks protocol v2.3"), error.getMessage());
    assertTrue(fake.channel.isShutdown());
  }

  @Test
  void statusCodesMapToTypedExceptionsKeepingTheServerMessage() throws Exception {
    Map<Status.Code, Class<? extends EnvException>> expected =
        Map.of(
            Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class,
            Status.Code.NOT_FOUND, NotFoundException.class,
            Status.Code.FAILED_PRECONDITION, FailedPreconditionException.class,
            Status.Code.RESOURCE_EXHAUSTED, ResourceExhaustedException.class,
            Status.Code.UNAVAILABLE, EnvUnavailableException.class,
            Status.Code.DEADLINE_EXCEEDED, EnvDeadlineExceededException.class,
            Status.Code.INTERNAL, EnvException.class);
    Status.Code[] next = new Status.Code[1];
    FakeEnvService failing =
        new FakeEnvService() {
          @Override
          public void describeTask(
              DescribeTaskRequest request, StreamObserver<DescribeTaskResponse> out) {
            out.onError(
                Status.fromCode(next[0]).withDescription("task_id 'x' broke").asRuntimeException());
          }
        };
    try (GrpcEnvClient client = connect(failing)) {
      for (var entry : expected.entrySet()) {
        next[0] = entry.getKey();
        EnvException error = assertThrows(EnvException.class, () -> client.describeTask("x"));
        assertEquals(entry.getValue(), error.getClass(), entry.getKey().toString());
        assertEquals(entry.getKey(), error.code());
        assertTrue(error.getMessage().contains("task_id 'x' broke"), error.getMessage());
      }
    }
  }

  @Test
  void callExceedingDeadlineFailsWithDeadlineExceeded() throws Exception {
    FakeEnvService silent =
        new FakeEnvService() {
          @Override
          public void describeTask(
              DescribeTaskRequest request, StreamObserver<DescribeTaskResponse> out) {
            // Never answers.
          }
        };
    ClientOptions options = ClientOptions.defaults().withCallDeadline(Duration.ofMillis(200));
    try (GrpcEnvClient client = connect(silent, options)) {
      long start = System.nanoTime();
      assertThrows(EnvDeadlineExceededException.class, () -> client.describeTask("toy"));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }
  }

  @Test
  void stepIsNeverRetried() throws Exception {
    FakeEnvService flaky =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            stepCalls.incrementAndGet();
            out.onError(Status.UNAVAILABLE.withDescription("try again").asRuntimeException());
          }
        };
    try (GrpcEnvClient client = connect(flaky);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      assertThrows(EnvUnavailableException.class, () -> env.step(new float[] {0f, 0f}));
      assertEquals(1, flaky.stepCalls.get());
    }
  }

  @Test
  void stepBeforeResetFailsWithFailedPrecondition() throws Exception {
    FakeEnvService strict =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            out.onError(
                Status.FAILED_PRECONDITION
                    .withDescription("env 0 has not been reset")
                    .asRuntimeException());
          }
        };
    try (GrpcEnvClient client = connect(strict);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      var error = assertThrows(FailedPreconditionException.class, () -> env.step(new float[2]));
      assertTrue(error.getMessage().contains("env 0 has not been reset"));
    }
  }

  @Test
  void stepSendsFloat32ActionsAndDecodesEveryField() throws Exception {
    FakeEnvService service = new FakeEnvService();
    try (GrpcEnvClient client = connect(service);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      env.reset();
      StepResult result = env.step(new float[] {0.25f, 0.75f});
      StepRequest sent = service.stepRequests.get(0);
      assertEquals(io.dtql.proto.env.v1.DType.DTYPE_FLOAT32, sent.getActions().getDtype());
      assertEquals(List.of(2L, 1L), sent.getActions().getShapeList());
      assertEquals(0, sent.getEnvIdsCount());
      assertArrayEquals(new int[] {0, 1}, result.envIds());
      assertArrayEquals(new double[] {0.25, 0, 0.75, 1}, result.observations());
      assertArrayEquals(new double[] {0.25, 0.75}, result.rewards());
      assertArrayEquals(new boolean[] {false, true}, result.terminated());
      assertArrayEquals(new EnvStatus[] {EnvStatus.OK, EnvStatus.OK}, result.status());
      assertArrayEquals(new int[] {1, 1}, result.episodeSteps());
    }
  }

  @Test
  void subsetStepSendsEnvIdsInOrder() throws Exception {
    FakeEnvService service = new FakeEnvService();
    try (GrpcEnvClient client = connect(service);
        VectorEnv env = client.createSession("toy", SessionOptions.of(3, 0))) {
      StepResult result = env.step(new int[] {2, 0}, new float[] {0.1f, 0.2f});
      assertEquals(List.of(2, 0), service.stepRequests.get(0).getEnvIdsList());
      assertArrayEquals(new int[] {2, 0}, result.envIds());
    }
  }

  @Test
  void malformedObservationsAreReportedNamingTheField() throws Exception {
    FakeEnvService broken =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            StepResponse good = stepResponse(request);
            out.onNext(
                good.toBuilder()
                    .setObservations(
                        good.getObservations().toBuilder()
                            .setData(ByteString.copyFrom(new byte[3])))
                    .build());
            out.onCompleted();
          }
        };
    try (GrpcEnvClient client = connect(broken);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      var error = assertThrows(MalformedResponseException.class, () -> env.step(new float[2]));
      assertTrue(error.getMessage().contains("observations"), error.getMessage());
    }
  }

  @Test
  void wrongActionCountAndNonFiniteActionsFailBeforeSending() throws Exception {
    FakeEnvService service = new FakeEnvService();
    try (GrpcEnvClient client = connect(service);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      var shape = assertThrows(InvalidArgumentException.class, () -> env.step(new float[3]));
      assertTrue(shape.getMessage().contains("got 3"), shape.getMessage());
      var nan =
          assertThrows(InvalidArgumentException.class, () -> env.step(new float[] {0f, Float.NaN}));
      assertTrue(nan.getMessage().contains("actions[1]"), nan.getMessage());
      assertThrows(InvalidArgumentException.class, () -> env.step(new int[] {5}, new float[1]));
      assertEquals(0, service.stepCalls.get());
    }
  }

  @Test
  void createSessionSendsExplicitSeedsOrBaseSeed() throws Exception {
    FakeEnvService service = new FakeEnvService();
    try (GrpcEnvClient client = connect(service)) {
      try (VectorEnv env = client.createSession("toy", SessionOptions.withSeeds(7, 9))) {
        assertArrayEquals(new long[] {7, 9}, env.envSeeds());
      }
      try (VectorEnv env = client.createSession("toy", SessionOptions.of(3, 100))) {
        assertArrayEquals(new long[] {100, 101, 102}, env.envSeeds());
      }
      assertTrue(service.createRequests.get(0).hasEnvSeeds());
      assertEquals(100, service.createRequests.get(1).getBaseSeed());
      assertEquals(3, service.createRequests.get(1).getNumEnvs());
    }
  }

  @Test
  void sessionCloseIsIdempotentAndToleratesAnExpiredSession() throws Exception {
    FakeEnvService service = new FakeEnvService();
    try (GrpcEnvClient client = connect(service)) {
      VectorEnv env = client.createSession("toy", SessionOptions.of(1, 0));
      env.close();
      env.close();
      assertEquals(1, service.closeCalls.get());
      assertThrows(IllegalStateException.class, env::reset);
    }
    FakeEnvService expired =
        new FakeEnvService() {
          @Override
          public void closeSession(
              CloseSessionRequest request, StreamObserver<CloseSessionResponse> out) {
            out.onError(Status.NOT_FOUND.withDescription("no session s1").asRuntimeException());
          }
        };
    tearDownQuietly();
    try (GrpcEnvClient client = connect(expired)) {
      client.createSession("toy", SessionOptions.of(1, 0)).close();
    }
  }

  @Test
  void clientCloseIsIdempotentAndShutsTheChannel() throws Exception {
    GrpcEnvClient client = connect(new FakeEnvService());
    client.close();
    client.close();
    assertTrue(fake.channel.isShutdown());
    assertThrows(IllegalStateException.class, client::listTasks);
  }

  @Test
  void specIsDecodedFromTheWire() throws Exception {
    try (GrpcEnvClient client = connect(new FakeEnvService())) {
      TaskSpec spec = client.describeTask("toy");
      assertEquals(FakeEnvService.OBS_DIM, spec.obsDim());
      assertEquals(FakeEnvService.ACT_DIM, spec.actDim());
      assertArrayEquals(new double[] {-1}, spec.action().low());
      assertEquals(Double.NEGATIVE_INFINITY, spec.observation().low()[0]);
      assertEquals(List.of(spec), client.listTasks());
      assertFalse(spec.envId().isEmpty());
    }
  }

  @Test
  void transportFailuresOfADeadOwnedServerBecomeUnavailableWithItsReport() throws Exception {
    FakeEnvService dying =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            out.onError(Status.UNKNOWN.withDescription("channel closed").asRuntimeException());
          }
        };
    fake = InProcessFake.start(dying, true);
    String[] report = {null};
    try (GrpcEnvClient client =
            GrpcEnvClient.create(fake.channel, ClientOptions.defaults(), () -> report[0]);
        VectorEnv env = client.createSession("toy", SessionOptions.of(1, 0))) {
      // While the process lives, UNKNOWN stays what it is.
      EnvException alive = assertThrows(EnvException.class, () -> env.step(new float[1]));
      assertEquals(Status.Code.UNKNOWN, alive.code());
      assertFalse(alive instanceof EnvUnavailableException);

      report[0] = "child exited with code 9";
      EnvException dead = assertThrows(EnvException.class, () -> env.step(new float[1]));
      assertInstanceOf(EnvUnavailableException.class, dead);
      assertTrue(dead.getMessage().contains("child exited with code 9"), dead.getMessage());

      fake.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      var unavailable = assertThrows(EnvUnavailableException.class, client::listTasks);
      assertTrue(unavailable.getMessage().contains("child exited with code 9"));
    }
  }

  private void tearDownQuietly() throws Exception {
    tearDown();
    fake = null;
  }
}
