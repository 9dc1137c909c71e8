package io.dtql.envbridge.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.EnvDeadlineExceededException;
import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.StepResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Steps over StepStream: used when offered, same results, errors and deadlines as unary Step. */
class StepStreamTest {
  private InProcessFake fake;

  private GrpcEnvClient connect(FakeEnvService service, ClientOptions options) throws Exception {
    // Not directExecutor: a stalled handler must not block the client's own thread.
    fake = InProcessFake.start(service, false);
    return fake.connect(options);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fake != null) {
      fake.close();
    }
  }

  private static FakeEnvService streaming() {
    FakeEnvService service = new FakeEnvService();
    service.offerStepStream = true;
    return service;
  }

  @Test
  void stepsShareOneStreamAndDecodeLikeUnarySteps() throws Exception {
    FakeEnvService service = streaming();
    try (GrpcEnvClient client = connect(service, ClientOptions.defaults());
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      for (int i = 0; i < 5; i++) {
        StepResult result = env.step(new float[] {0.25f, 0.75f});
        assertArrayEquals(new double[] {0.25, 0, 0.75, 1}, result.observations());
        assertArrayEquals(new boolean[] {false, true}, result.terminated());
      }
      assertEquals(1, service.streamsOpened.get());
      assertEquals(0, service.stepCalls.get(), "no unary Step while the stream is offered");
      assertEquals(5, service.stepRequests.size());
    }
  }

  @Test
  void closedSessionsLeaveNoStreamBehindInTheClient() throws Exception {
    try (GrpcEnvClient client = connect(streaming(), ClientOptions.defaults())) {
      for (int i = 0; i < 3; i++) {
        try (VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
          env.step(new float[] {0.1f, 0.2f});
          assertEquals(1, client.stepStreamCount());
        }
      }
      assertEquals(0, client.stepStreamCount());
    }
  }

  @Test
  void unaryStepIsUsedWhenTheServerDoesNotOfferTheStreamOrTheClientOptsOut() throws Exception {
    FakeEnvService old = new FakeEnvService(); // a v1.0 server: no step_stream capability
    try (GrpcEnvClient client = connect(old, ClientOptions.defaults());
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      env.step(new float[] {0.1f, 0.2f});
      assertEquals(1, old.stepCalls.get());
    }
    tearDown();
    FakeEnvService offering = streaming();
    try (GrpcEnvClient client = connect(offering, ClientOptions.defaults().withStepStream(false));
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      env.step(new float[] {0.1f, 0.2f});
      assertEquals(1, offering.stepCalls.get());
      assertEquals(0, offering.streamsOpened.get());
    }
  }

  @Test
  void anErrorMapsToItsTypedExceptionAndTheNextStepOpensANewStream() throws Exception {
    FakeEnvService service =
        new FakeEnvService() {
          @Override
          void onStreamedStep(StepRequest request, StreamObserver<StepResponse> out) {
            if (stepRequests.size() == 2) {
              out.onError(
                  Status.INVALID_ARGUMENT
                      .withDescription("actions row 0 is bad")
                      .asRuntimeException());
            } else {
              out.onNext(stepResponse(request));
            }
          }
        };
    service.offerStepStream = true;
    try (GrpcEnvClient client = connect(service, ClientOptions.defaults());
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      env.step(new float[] {0.1f, 0.2f});
      var error =
          assertThrows(InvalidArgumentException.class, () -> env.step(new float[] {0.1f, 0.2f}));
      assertTrue(error.getMessage().contains("actions row 0 is bad"), error.getMessage());
      StepResult after = env.step(new float[] {0.3f, 0.4f});
      assertArrayEquals(new double[] {0.3f, 0.4f}, after.rewards(), 1e-7);
      assertEquals(2, service.streamsOpened.get());
    }
  }

  @Test
  @Timeout(20) // without a per-step deadline this test would hang
  void aStepWithoutAResponseFailsWithDeadlineExceededAndIsNotResent() throws Exception {
    FakeEnvService service =
        new FakeEnvService() {
          @Override
          void onStreamedStep(StepRequest request, StreamObserver<StepResponse> out) {
            // Never answers.
          }
        };
    service.offerStepStream = true;
    ClientOptions options = ClientOptions.defaults().withCallDeadline(Duration.ofMillis(200));
    try (GrpcEnvClient client = connect(service, options);
        VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0))) {
      long start = System.nanoTime();
      assertThrows(EnvDeadlineExceededException.class, () -> env.step(new float[] {0.1f, 0.2f}));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMillis >= 150, "waited only " + waitedMillis + " ms");
      assertEquals(1, service.stepRequests.size(), "a timed-out step must not be sent again");
    }
  }

  @Test
  void closingTheClientWithAStreamOpenIsQuickAndLaterStepsAreRefused() throws Exception {
    FakeEnvService service = streaming();
    GrpcEnvClient client = connect(service, ClientOptions.defaults());
    VectorEnv env = client.createSession("toy", SessionOptions.of(2, 0));
    env.step(new float[] {0.1f, 0.2f}); // the stream is open now
    long start = System.nanoTime();
    client.close();
    long closeMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(closeMillis < 2_000, "client close took " + closeMillis + " ms");
    var error = assertThrows(IllegalStateException.class, () -> env.step(new float[] {0f, 0f}));
    assertTrue(error.getMessage().contains("client is closed"), error.getMessage());
    env.close();
  }
}
