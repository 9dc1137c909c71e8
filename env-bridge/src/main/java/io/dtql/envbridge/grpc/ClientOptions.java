package io.dtql.envbridge.grpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Client-side settings of a connection.
 *
 * @param callDeadline deadline applied to every call (gRPC has none by default, so a hung server
 *     would hang the client forever)
 * @param maxInboundMessageBytes largest response accepted (gRPC's default of 4 MiB is too small for
 *     large batches of observations)
 * @param clientName sent in the handshake, shows up in the server's logs
 * @param useStepStream send steps over one StepStream per session when the server offers it
 *     (capability "step_stream"), instead of one unary Step call per step; same results, less
 *     per-step overhead (see the proto). False forces unary Step.
 * @param tlsCaFileOrNull PEM file of the CA certificate(s) to trust: connect with TLS and verify
 *     the server's certificate against it (a server started with {@code --tls-cert}); null connects
 *     in plaintext, which is only safe on loopback
 */
public record ClientOptions(
    Duration callDeadline,
    int maxInboundMessageBytes,
    String clientName,
    boolean useStepStream,
    Path tlsCaFileOrNull) {

  public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  public ClientOptions {
    Objects.requireNonNull(callDeadline, "callDeadline");
    if (callDeadline.isNegative() || callDeadline.isZero()) {
      throw new IllegalArgumentException("callDeadline must be positive, got " + callDeadline);
    }
    if (maxInboundMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "maxInboundMessageBytes must be positive, got " + maxInboundMessageBytes);
    }
    if (clientName == null || clientName.isBlank()) {
      throw new IllegalArgumentException("clientName must not be blank, got '" + clientName + "'");
    }
  }

  /** 30 s deadline per call, 64 MiB inbound messages, steps streamed when the server can. */
  public static ClientOptions defaults() {
    return new ClientOptions(
        DEFAULT_CALL_DEADLINE, DEFAULT_MAX_INBOUND_MESSAGE_BYTES, "dtql-env-bridge", true, null);
  }

  public ClientOptions withCallDeadline(Duration deadline) {
    return new ClientOptions(
        deadline, maxInboundMessageBytes, clientName, useStepStream, tlsCaFileOrNull);
  }

  public ClientOptions withMaxInboundMessageBytes(int bytes) {
    return new ClientOptions(callDeadline, bytes, clientName, useStepStream, tlsCaFileOrNull);
  }

  public ClientOptions withClientName(String name) {
    return new ClientOptions(
        callDeadline, maxInboundMessageBytes, name, useStepStream, tlsCaFileOrNull);
  }

  public ClientOptions withStepStream(boolean enabled) {
    return new ClientOptions(
        callDeadline, maxInboundMessageBytes, clientName, enabled, tlsCaFileOrNull);
  }

  /** TLS, trusting the CA certificate(s) in this PEM file; null for plaintext. */
  public ClientOptions withTlsCaFile(Path caFileOrNull) {
    return new ClientOptions(
        callDeadline, maxInboundMessageBytes, clientName, useStepStream, caFileOrNull);
  }
}
