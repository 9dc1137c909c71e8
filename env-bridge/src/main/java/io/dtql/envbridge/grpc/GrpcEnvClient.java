package io.dtql.envbridge.grpc;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.FailedPreconditionException;
import io.dtql.envbridge.MalformedResponseException;
import io.dtql.envbridge.ProtocolMismatchException;
import io.dtql.envbridge.ServerInfo;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.proto.env.v1.CloseSessionRequest;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.dtql.proto.env.v1.DescribeTaskRequest;
import io.dtql.proto.env.v1.EnvServiceGrpc;
import io.dtql.proto.env.v1.EnvServiceGrpc.EnvServiceBlockingStub;
import io.dtql.proto.env.v1.EnvServiceGrpc.EnvServiceStub;
import io.dtql.proto.env.v1.HandshakeRequest;
import io.dtql.proto.env.v1.HandshakeResponse;
import io.dtql.proto.env.v1.ListTasksRequest;
import io.dtql.proto.env.v1.ProtocolVersion;
import io.dtql.proto.env.v1.SeedList;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EnvClient} over gRPC. Owns its channel and closes it on {@link #close()}.
 *
 * <p>Every call carries the configured deadline. No call is ever retried: Step is not idempotent (a
 * retried Step whose first attempt reached the server would advance the simulation twice), and the
 * other calls are cheap to repeat by the caller if they want to. Channels built by {@link
 * EnvClients} also have gRPC's transparent retries disabled.
 */
public final class GrpcEnvClient implements EnvClient {
  /** The contract version this client speaks. */
  public static final int PROTOCOL_MAJOR = 1;

  public static final int PROTOCOL_MINOR = 2;

  /** The capability that says a peer speaks StepStream (v1.1). */
  static final String STEP_STREAM = "step_stream";

  /** The capability that says a server sends the info tensors a session asks for (v1.2). */
  public static final String INFOS = "infos";

  /** Features this client understands, sent in the handshake. */
  public static final List<String> CLIENT_CAPABILITIES =
      List.of("autoreset.next_step", "autoreset.disabled", "physics_status", STEP_STREAM, INFOS);

  private static final Logger log = LoggerFactory.getLogger(GrpcEnvClient.class);

  private final ManagedChannel channel;
  private final ClientOptions options;
  private final EnvServiceBlockingStub stub;
  private final EnvServiceStub asyncStub;
  private final StatusMapper statusMapper;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Step streams of this client's sessions, cancelled on close (see {@link #close}). */
  private final Set<StepStreamCall> stepStreams = ConcurrentHashMap.newKeySet();

  private ServerInfo serverInfo;

  private GrpcEnvClient(
      ManagedChannel channel, ClientOptions options, Supplier<String> deathReport) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.options = Objects.requireNonNull(options, "options");
    this.stub = EnvServiceGrpc.newBlockingStub(channel);
    this.asyncStub = EnvServiceGrpc.newStub(channel);
    this.statusMapper = new StatusMapper(deathReport);
  }

  /** Takes ownership of {@code channel} and does the handshake; closes the channel if it fails. */
  public static GrpcEnvClient create(ManagedChannel channel, ClientOptions options) {
    return create(channel, options, null);
  }

  /**
   * As {@link #create(ManagedChannel, ClientOptions)}, for a server whose process the caller owns:
   * after a transport failure {@code deathReport} returns how the process died (exit code, stderr
   * tail) or null while it runs; a death turns the failure into {@link
   * io.dtql.envbridge.EnvUnavailableException} carrying that report.
   */
  public static GrpcEnvClient create(
      ManagedChannel channel, ClientOptions options, Supplier<String> deathReport) {
    GrpcEnvClient client = new GrpcEnvClient(channel, options, deathReport);
    try {
      client.serverInfo = client.handshake();
      return client;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private ServerInfo handshake() {
    HandshakeRequest request =
        HandshakeRequest.newBuilder()
            .setClientVersion(
                ProtocolVersion.newBuilder().setMajor(PROTOCOL_MAJOR).setMinor(PROTOCOL_MINOR))
            .setClientName(options.clientName())
            .addAllClientCapabilities(CLIENT_CAPABILITIES)
            .build();
    HandshakeResponse response;
    try {
      response = call("Handshake", s -> s.handshake(request));
    } catch (FailedPreconditionException e) {
      throw new ProtocolMismatchException(
          "the server refused protocol v"
              + PROTOCOL_MAJOR
              + "."
              + PROTOCOL_MINOR
              + ": "
              + e.getMessage(),
          e);
    }
    ServerInfo info = decode("HandshakeResponse", () -> ProtoConversions.serverInfo(response));
    if (info.protocolMajor() != PROTOCOL_MAJOR) {
      throw new ProtocolMismatchException(
          "server '"
              + info.serverName()
              + "' speaks protocol v"
              + info.protocolMajor()
              + "."
              + info.protocolMinor()
              + " but this client speaks v"
              + PROTOCOL_MAJOR
              + "; use a client and server of the same major version",
          null);
    }
    log.debug(
        "connected to {} ({} v{}.{})",
        channel.authority(),
        info.serverName(),
        info.protocolMajor(),
        info.protocolMinor());
    return info;
  }

  @Override
  public ServerInfo serverInfo() {
    return serverInfo;
  }

  @Override
  public List<TaskSpec> listTasks() {
    var response = call("ListTasks", s -> s.listTasks(ListTasksRequest.getDefaultInstance()));
    return decode(
        "ListTasksResponse",
        () -> response.getTasksList().stream().map(ProtoConversions::taskSpec).toList());
  }

  @Override
  public TaskSpec describeTask(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    var response =
        call(
            "DescribeTask",
            s -> s.describeTask(DescribeTaskRequest.newBuilder().setTaskId(taskId).build()));
    return decode("DescribeTaskResponse.spec", () -> ProtoConversions.taskSpec(response.getSpec()));
  }

  @Override
  public VectorEnv createSession(String taskId, SessionOptions options) {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(options, "options");
    if (!options.infoKeys().isEmpty() && !serverInfo.hasCapability(INFOS)) {
      // Such a server would ignore info_keys (an unknown field) and send no infos.
      throw new ProtocolMismatchException(
          "info keys "
              + options.infoKeys()
              + " need a server with capability '"
              + INFOS
              + "' (protocol v1.2); server '"
              + serverInfo.serverName()
              + "' speaks v"
              + serverInfo.protocolMajor()
              + "."
              + serverInfo.protocolMinor()
              + " without it",
          null);
    }
    CreateSessionRequest.Builder request =
        CreateSessionRequest.newBuilder()
            .setTaskId(taskId)
            .setNumEnvs(options.numEnvs())
            .setAutoreset(ProtoConversions.autoReset(options.autoReset()))
            .setIdleTimeoutSeconds(options.idleTimeoutSeconds())
            .addAllInfoKeys(options.infoKeys());
    long[] seeds = options.envSeedsOrNull();
    if (seeds == null) {
      request.setBaseSeed(options.baseSeed());
    } else {
      SeedList.Builder seedList = SeedList.newBuilder();
      for (long seed : seeds) {
        seedList.addSeeds(seed);
      }
      request.setEnvSeeds(seedList);
    }
    CreateSessionResponse response = call("CreateSession", s -> s.createSession(request.build()));
    try {
      return decode("CreateSessionResponse", () -> GrpcVectorEnv.open(this, response, options));
    } catch (MalformedResponseException e) {
      closeUnusable(response.getSessionId());
      throw e;
    }
  }

  /** Best effort: frees a session whose creation reply was refused (else its lease expires). */
  private void closeUnusable(String sessionId) {
    if (sessionId.isEmpty()) {
      return;
    }
    try {
      call(
          "CloseSession",
          s -> s.closeSession(CloseSessionRequest.newBuilder().setSessionId(sessionId).build()));
    } catch (RuntimeException e) {
      log.debug("could not close refused session {}: {}", sessionId, e.getMessage());
    }
  }

  /** Runs one call with the per-call deadline, mapping failures to typed exceptions. */
  <T> T call(String name, Function<EnvServiceBlockingStub, T> rpc) {
    requireOpen(name);
    try {
      return rpc.apply(
          stub.withDeadlineAfter(options.callDeadline().toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException e) {
      throw statusMapper.map(name, e);
    }
  }

  /** Refuses calls on a closed client the same way for unary calls and streamed steps. */
  void requireOpen(String name) {
    if (closed.get()) {
      throw new IllegalStateException("client is closed; cannot call " + name);
    }
  }

  /**
   * A step stream for one session, or null when steps should go as unary calls (the options turn
   * streaming off, or the server does not list {@value #STEP_STREAM}, e.g. a v1.0 server).
   */
  StepStreamCall newStepStreamOrNull() {
    if (!options.useStepStream() || !serverInfo.hasCapability(STEP_STREAM)) {
      return null;
    }
    StepStreamCall stream = new StepStreamCall(asyncStub, options.callDeadline(), statusMapper);
    stepStreams.add(stream);
    return stream;
  }

  /** Step streams of open sessions (for tests: closed sessions must not accumulate here). */
  int stepStreamCount() {
    return stepStreams.size();
  }

  /** Drops a closed session's stream from the set {@link #close} cancels. */
  void forget(StepStreamCall stream) {
    stepStreams.remove(stream);
  }

  /** Decodes a response, reporting contract violations as {@link MalformedResponseException}. */
  static <T> T decode(String what, Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new MalformedResponseException("malformed " + what + ": " + e.getMessage(), e);
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // An open stream is a call in flight: left alone, it would hold the shutdown below up until
    // the timeout. Sessions closed first have half-closed theirs already; this is for the rest.
    stepStreams.forEach(StepStreamCall::cancel);
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
