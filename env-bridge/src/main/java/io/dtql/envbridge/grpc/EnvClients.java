package io.dtql.envbridge.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.function.Supplier;

/** Connects to an environment server by address. */
public final class EnvClients {

  private EnvClients() {}

  /** Connects to {@code target} ("host:port") with default options and does the handshake. */
  public static GrpcEnvClient connect(String target) {
    return connect(target, ClientOptions.defaults());
  }

  /** Connects to {@code target} ("host:port") and does the handshake. */
  public static GrpcEnvClient connect(String target, ClientOptions options) {
    return connect(target, options, null);
  }

  /**
   * As {@link #connect(String, ClientOptions)}, for a server process the caller owns; see {@link
   * GrpcEnvClient#create(ManagedChannel, ClientOptions, Supplier)} for {@code deathReport}.
   */
  public static GrpcEnvClient connect(
      String target, ClientOptions options, Supplier<String> deathReport) {
    return GrpcEnvClient.create(channel(target, options), options, deathReport);
  }

  /**
   * A plaintext channel with the inbound size limit set and retries disabled: Step is not
   * idempotent, so not even gRPC's transparent retry may replay it.
   */
  public static ManagedChannel channel(String target, ClientOptions options) {
    if (target == null || !target.matches(".+:\\d+")) {
      throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
    }
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(options.maxInboundMessageBytes())
        .disableRetry()
        .build();
  }
}
