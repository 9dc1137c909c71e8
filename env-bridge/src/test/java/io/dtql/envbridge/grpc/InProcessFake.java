package io.dtql.envbridge.grpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A fake service behind an in-process server and a channel to it; closing shuts both down. */
final class InProcessFake implements AutoCloseable {
  final Server server;
  final ManagedChannel channel;

  private InProcessFake(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /**
   * @param directExecutor run calls on the caller's thread (deterministic); false when a handler
   *     may stall and the client must not be blocked by it
   */
  static InProcessFake start(BindableService service, boolean directExecutor) throws IOException {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder serverBuilder = InProcessServerBuilder.forName(name).addService(service);
    InProcessChannelBuilder channelBuilder = InProcessChannelBuilder.forName(name);
    if (directExecutor) {
      serverBuilder.directExecutor();
      channelBuilder.directExecutor();
    }
    return new InProcessFake(serverBuilder.build().start(), channelBuilder.build());
  }

  /** A client on this fake's channel (it takes the channel over; see GrpcEnvClient#create). */
  GrpcEnvClient connect(ClientOptions options) {
    return GrpcEnvClient.create(channel, options);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
