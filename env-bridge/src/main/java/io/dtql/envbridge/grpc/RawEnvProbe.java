package io.dtql.envbridge.grpc;

import com.google.protobuf.ByteString;
import io.dtql.envbridge.DType;
import io.dtql.proto.env.v1.CloseSessionRequest;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.EnvServiceGrpc;
import io.dtql.proto.env.v1.EnvServiceGrpc.EnvServiceBlockingStub;
import io.dtql.proto.env.v1.HandshakeRequest;
import io.dtql.proto.env.v1.ProtocolVersion;
import io.dtql.proto.env.v1.ResetRequest;
import io.dtql.proto.env.v1.StepRequest;
import io.dtql.proto.env.v1.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends requests exactly as given, without the client-side checks of {@link GrpcEnvClient}, so the
 * conformance suite can verify that a server refuses bad input on its own. Failures surface as the
 * same typed exceptions as the normal client's.
 */
public final class RawEnvProbe implements AutoCloseable {
  private final ManagedChannel channel;
  private final ClientOptions options;
  private final EnvServiceBlockingStub stub;
  private final StatusMapper statusMapper = new StatusMapper(null);

  public RawEnvProbe(ManagedChannel channel, ClientOptions options) {
    this.channel = channel;
    this.options = options;
    this.stub = EnvServiceGrpc.newBlockingStub(channel);
  }

  /** Opens a probe on its own channel to {@code target} ("host:port"). */
  public static RawEnvProbe connect(String target, ClientOptions options) {
    return new RawEnvProbe(EnvClients.channel(target, options), options);
  }

  /** Handshakes claiming protocol {@code major}.0; returns the server's major version. */
  public int handshake(int major) {
    var request =
        HandshakeRequest.newBuilder()
            .setClientVersion(ProtocolVersion.newBuilder().setMajor(major).setMinor(0))
            .setClientName("dtql-conformance")
            .build();
    return run("Handshake", () -> stub().handshake(request)).getServerVersion().getMajor();
  }

  /** Creates a session without validating the arguments; returns its id. */
  public String createSession(String taskId, int numEnvs, long baseSeed) {
    return createSession(taskId, numEnvs, baseSeed, List.of());
  }

  /** As {@link #createSession(String, int, long)}, asking for these info keys unchecked. */
  public String createSession(String taskId, int numEnvs, long baseSeed, List<String> infoKeys) {
    var request =
        CreateSessionRequest.newBuilder()
            .setTaskId(taskId)
            .setNumEnvs(numEnvs)
            .setBaseSeed(baseSeed)
            .addAllInfoKeys(infoKeys)
            .build();
    return run("CreateSession", () -> stub().createSession(request)).getSessionId();
  }

  public void closeSession(String sessionId) {
    var request = CloseSessionRequest.newBuilder().setSessionId(sessionId).build();
    run("CloseSession", () -> stub().closeSession(request));
  }

  /** Resets every env of the session. */
  public void reset(String sessionId) {
    var request = ResetRequest.newBuilder().setSessionId(sessionId).build();
    run("Reset", () -> stub().reset(request));
  }

  /** Steps every env of the session with an actions tensor built from exactly these parts. */
  public void step(String sessionId, DType dtype, long[] shape, byte[] data) {
    Tensor.Builder actions =
        Tensor.newBuilder()
            .setDtype(ProtoConversions.dtype(dtype))
            .setData(ByteString.copyFrom(data));
    for (long dim : shape) {
      actions.addShape(dim);
    }
    var request = StepRequest.newBuilder().setSessionId(sessionId).setActions(actions).build();
    run("Step", () -> stub().step(request));
  }

  /** The grpc.health.v1 status of {@code service} ("" = the whole server), e.g. "SERVING". */
  public String healthStatus(String service) {
    var health =
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(options.callDeadline().toNanos(), TimeUnit.NANOSECONDS);
    var request = HealthCheckRequest.newBuilder().setService(service).build();
    return run("Health.Check", () -> health.check(request)).getStatus().name();
  }

  private EnvServiceBlockingStub stub() {
    return stub.withDeadlineAfter(options.callDeadline().toNanos(), TimeUnit.NANOSECONDS);
  }

  private <T> T run(String name, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw statusMapper.map(name, e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
