package io.dtql.envbridge.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
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
   * A channel with the inbound size limit set and retries disabled: Step is not idempotent, so not
   * even gRPC's transparent retry may replay it. Plaintext, or TLS verified against the CA file
   * when {@link ClientOptions#tlsCaFileOrNull()} is set.
   */
  public static ManagedChannel channel(String target, ClientOptions options) {
    if (target == null || !target.matches(".+:\\d+")) {
      throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
    }
    return builder(target, options.tlsCaFileOrNull())
        .maxInboundMessageSize(options.maxInboundMessageBytes())
        .disableRetry()
        .build();
  }

  private static NettyChannelBuilder builder(String target, Path caFileOrNull) {
    if (caFileOrNull == null) {
      return NettyChannelBuilder.forTarget(target, InsecureChannelCredentials.create());
    }
    try {
      ChannelCredentials tls =
          TlsChannelCredentials.newBuilder().trustManager(caFileOrNull.toFile()).build();
      // Netty builds its SSL context here, so a file with no certificate in it fails here too.
      return NettyChannelBuilder.forTarget(target, tls);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TLS CA file " + caFileOrNull + " is not a readable PEM certificate: " + e.getMessage(),
          e);
    }
  }
}
