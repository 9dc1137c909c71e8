package io.dtql.envbridge.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.dtql.envbridge.InfoSpec;
import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.envbridge.MalformedResponseException;
import io.dtql.envbridge.ProtocolMismatchException;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.dtql.proto.env.v1.DType;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.dtql.proto.env.v1.Tensor;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Info tensors (protocol v1.2) through the client, against the in-process fake. */
class InfoTensorsTest {
  private InProcessFake fake;

  private GrpcEnvClient connect(FakeEnvService service, ClientOptions options) throws Exception {
    fake = InProcessFake.start(service, true);
    return fake.connect(options);
  }

  private GrpcEnvClient connect(FakeEnvService service) throws Exception {
    return connect(service, ClientOptions.defaults());
  }

  private static FakeEnvService offering() {
    FakeEnvService service = new FakeEnvService();
    service.offerInfos = true;
    return service;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void specListsTheInfosWithTheirShapes() throws Exception {
    try (GrpcEnvClient client = connect(offering())) {
      List<InfoSpec> infos = client.describeTask("toy").infos();
      assertEquals(List.of("qpos", "qvel"), infos.stream().map(InfoSpec::name).toList());
      assertArrayEquals(new int[] {3}, infos.get(0).shape());
      assertEquals("fake qvel", infos.get(1).description());
    }
  }

  @Test
  void requestedInfosArriveDecodedPerKeyInEnvOrder() throws Exception {
    FakeEnvService service = offering();
    try (GrpcEnvClient client = connect(service);
        VectorEnv env =
            client.createSession("toy", SessionOptions.of(2, 0).withInfoKeys("qpos", "qvel"))) {
      assertEquals(List.of("qpos", "qvel"), service.createRequests.get(0).getInfoKeysList());
      assertEquals(List.of("qpos", "qvel"), env.infoKeys());
      ResetResult reset = env.reset();
      assertEquals(List.of("qpos", "qvel"), List.copyOf(reset.infos().keySet()));
      assertArrayEquals(new double[] {0, 0, 7, 1, 0, 7}, reset.infos().get("qpos"));
      assertEquals(3, reset.infoWidth("qpos"));
      assertArrayEquals(new double[] {1, -1}, reset.info("qvel", 1));

      StepResult step = env.step(new int[] {1, 0}, new float[] {0.25f, -0.5f});
      assertArrayEquals(new double[] {1, 0.25, 7, 0, -0.5, 7}, step.infos().get("qpos"));
      assertEquals(2, step.infoWidth("qvel"));
      assertArrayEquals(new double[] {1, -1, 0, 0}, step.infos().get("qvel"));
    }
  }

  @Test
  void streamedStepsCarryInfosToo() throws Exception {
    FakeEnvService service = offering();
    service.offerStepStream = true;
    try (GrpcEnvClient client = connect(service);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0).withInfoKeys("qvel"))) {
      env.reset();
      StepResult step = env.step(new float[] {0.5f, 0.5f});
      assertEquals(1, service.streamsOpened.get());
      assertArrayEquals(new double[] {0, 0, 1, -1}, step.infos().get("qvel"));
    }
  }

  @Test
  void sessionWithoutInfoKeysAsksForNoneAndGetsNone() throws Exception {
    FakeEnvService service = offering();
    try (GrpcEnvClient client = connect(service);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      assertEquals(0, service.createRequests.get(0).getInfoKeysCount());
      assertEquals(List.of(), env.infoKeys());
      assertEquals(Map.of(), env.reset().infos());
      assertEquals(Map.of(), env.step(new float[2]).infos());
    }
  }

  @Test
  void infoKeysNeedAServerWithTheInfosCapability() throws Exception {
    FakeEnvService old = new FakeEnvService(); // a v1.1-style server: would ignore info_keys
    try (GrpcEnvClient client = connect(old)) {
      var error =
          assertThrows(
              ProtocolMismatchException.class,
              () -> client.createSession("toy", SessionOptions.of(1, 0).withInfoKeys("qpos")));
      assertTrue(error.getMessage().contains("capability 'infos'"), error.getMessage());
      assertEquals(0, old.createRequests.size(), "refused before any session was made");
    }
  }

  @Test
  void unknownKeyIsTheServersInvalidArgumentNamingIt() throws Exception {
    try (GrpcEnvClient client = connect(offering())) {
      var error =
          assertThrows(
              InvalidArgumentException.class,
              () -> client.createSession("toy", SessionOptions.of(1, 0).withInfoKeys("goal")));
      assertTrue(error.getMessage().contains("'goal'"), error.getMessage());
      assertTrue(error.getMessage().contains("available: qpos, qvel"), error.getMessage());
    }
  }

  @Test
  void aServerThatDoesNotGrantTheKeysIsMalformedAndItsSessionIsClosed() throws Exception {
    FakeEnvService ignoring =
        new FakeEnvService() {
          @Override
          public void createSession(
              CreateSessionRequest request, StreamObserver<CreateSessionResponse> out) {
            super.createSession(request.toBuilder().clearInfoKeys().build(), out);
          }
        };
    ignoring.offerInfos = true;
    try (GrpcEnvClient client = connect(ignoring)) {
      var error =
          assertThrows(
              MalformedResponseException.class,
              () -> client.createSession("toy", SessionOptions.of(1, 0).withInfoKeys("qpos")));
      assertTrue(error.getMessage().contains("info_keys granted []"), error.getMessage());
      assertEquals(1, ignoring.closeCalls.get(), "the unusable session is closed");
    }
  }

  static Stream<Arguments> corruptions() {
    UnaryOperator<Tensor> oneRow =
        t -> FakeEnvService.infos(List.of("qpos"), new int[] {0}, new float[1]).get("qpos");
    UnaryOperator<Tensor> shortData =
        t -> t.toBuilder().setData(t.getData().substring(0, t.getData().size() - 8)).build();
    UnaryOperator<Tensor> float32 = t -> t.toBuilder().setDtype(DType.DTYPE_FLOAT32).build();
    return Stream.of(
        Arguments.of("one row for two envs", oneRow, "infos['qpos']: shape [1, 3]"),
        Arguments.of("8 bytes short", shortData, "infos['qpos']"),
        Arguments.of("float32", float32, "infos['qpos']: dtype DTYPE_FLOAT32"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void malformedInfoTensorIsReportedNamingTheKey(
      String what, UnaryOperator<Tensor> corrupt, String expected) throws Exception {
    FakeEnvService broken =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            StepResponse good = withInfos(stepResponse(request), request);
            out.onNext(
                good.toBuilder()
                    .putInfos("qpos", corrupt.apply(good.getInfosOrThrow("qpos")))
                    .build());
            out.onCompleted();
          }
        };
    broken.offerInfos = true;
    try (GrpcEnvClient client = connect(broken);
        VectorEnv env =
            client.createSession("toy", SessionOptions.of(2, 0).withInfoKeys("qpos", "qvel"))) {
      env.reset();
      var error = assertThrows(MalformedResponseException.class, () -> env.step(new float[2]));
      assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
  }

  @Test
  void missingOrUnaskedInfoIsMalformedNamingTheKey() throws Exception {
    FakeEnvService broken =
        new FakeEnvService() {
          @Override
          public void step(StepRequest request, StreamObserver<StepResponse> out) {
            StepResponse good = withInfos(stepResponse(request), request);
            StepResponse.Builder bad = good.toBuilder().removeInfos("qpos");
            if (request.getEnvIdsCount() > 0) { // the second step: qpos back, plus an extra key
              bad.putAllInfos(good.getInfosMap())
                  .putInfos(
                      "goal",
                      good.getInfosOrThrow("qvel").toBuilder().setData(ByteString.EMPTY).build());
            }
            out.onNext(bad.build());
            out.onCompleted();
          }
        };
    broken.offerInfos = true;
    try (GrpcEnvClient client = connect(broken);
        VectorEnv env =
            client.createSession("toy", SessionOptions.of(1, 0).withInfoKeys("qpos", "qvel"))) {
      var missing = assertThrows(MalformedResponseException.class, () -> env.step(new float[1]));
      assertTrue(missing.getMessage().contains("infos has no 'qpos'"), missing.getMessage());
      var extra =
          assertThrows(
              MalformedResponseException.class, () -> env.step(new int[] {0}, new float[1]));
      assertTrue(extra.getMessage().contains("infos has 'goal'"), extra.getMessage());
    }
  }
}
