package io.dtql.envbridge.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.grpc.FakeEnvService;
import io.dtql.envbridge.grpc.RawEnvProbe;
import io.dtql.envbridge.grpc.TestServers;
import io.dtql.proto.env.v1.CreateSessionRequest;
import io.dtql.proto.env.v1.CreateSessionResponse;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The suite must catch a server that breaks the contract. The scripted fake accepts everything (any
 * protocol major, NaN actions, steps before reset, unknown tasks), so those checks must fail while
 * the ones it does honour pass.
 */
class ConformanceSuiteTest {

  @Test
  void laxServerFailsTheChecksItBreaksAndPassesTheOthers() throws Exception {
    Server server = TestServers.servingOnFreePort(new FakeEnvService());
    try {
      ClientOptions options = ClientOptions.defaults().withCallDeadline(Duration.ofSeconds(10));
      List<CheckResult> results =
          new ConformanceSuite("127.0.0.1:" + server.getPort(), "toy", options).run();
      assertEquals(ConformanceSuite.allChecks().size(), results.size());
      Map<String, CheckResult> byName =
          results.stream().collect(Collectors.toMap(CheckResult::name, Function.identity()));

      assertTrue(byName.get("handshake version and capabilities").passed());
      assertTrue(byName.get("health SERVING").passed());
      for (String broken :
          List.of(
              "major version mismatch -> FAILED_PRECONDITION",
              "unknown task -> NOT_FOUND",
              "step before reset -> FAILED_PRECONDITION",
              "NaN action -> INVALID_ARGUMENT",
              "too many sessions -> RESOURCE_EXHAUSTED",
              "auto-reset NEXT_STEP",
              "idle session expires -> NOT_FOUND")) {
        CheckResult result = byName.get(broken);
        assertFalse(result.passed(), broken + " should fail against the lax fake");
        assertTrue(result.line().startsWith("FAIL " + broken + " - "), result.line());
      }
      assertTrue(
          byName.get("NaN action -> INVALID_ARGUMENT").detail().contains("but it succeeded"),
          byName.get("NaN action -> INVALID_ARGUMENT").detail());
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void infoChecksAreOptionalAndCatchAServerThatAcceptsUnknownKeys() throws Exception {
    FakeEnvService plain = new FakeEnvService(); // no "infos" capability
    FakeEnvService serving = new FakeEnvService();
    serving.offerInfos = true;
    FakeEnvService lax =
        new FakeEnvService() {
          @Override
          public void createSession(
              CreateSessionRequest request, StreamObserver<CreateSessionResponse> out) {
            List<String> known =
                request.getInfoKeysList().stream().filter(INFO_WIDTHS::containsKey).toList();
            super.createSession(
                request.toBuilder().clearInfoKeys().addAllInfoKeys(known).build(), out);
          }
        };
    lax.offerInfos = true;
    String shapes = "requested infos have the advertised shapes";
    String unknown = "unknown info key -> INVALID_ARGUMENT";

    Map<String, CheckResult> byName = run(plain);
    assertTrue(byName.get(shapes).passed() && byName.get(shapes).detail().contains("optional"));
    assertTrue(byName.get(unknown).passed() && byName.get(unknown).detail().contains("optional"));

    byName = run(serving);
    assertTrue(byName.get(shapes).passed(), byName.get(shapes).line());
    assertTrue(
        byName.get(shapes).detail().startsWith("qpos [3], qvel [2]"), byName.get(shapes).line());
    assertTrue(byName.get(unknown).passed(), byName.get(unknown).line());

    byName = run(lax);
    assertTrue(byName.get(shapes).passed(), byName.get(shapes).line());
    assertFalse(byName.get(unknown).passed());
    assertTrue(
        byName.get(unknown).detail().contains("but it succeeded"), byName.get(unknown).line());
  }

  /** Runs just the info checks (the whole suite waits out a lease) against the service. */
  private static Map<String, CheckResult> run(FakeEnvService service) throws Exception {
    Server server = TestServers.servingOnFreePort(service);
    String target = "127.0.0.1:" + server.getPort();
    ClientOptions options = ClientOptions.defaults().withCallDeadline(Duration.ofSeconds(10));
    Map<String, CheckResult> byName = new HashMap<>();
    try (EnvClient client = EnvClients.connect(target, options);
        RawEnvProbe probe = RawEnvProbe.connect(target, options)) {
      ConformanceContext context = new ConformanceContext(client, client, probe, "toy");
      for (Check check : InfoChecks.checks()) {
        try {
          byName.put(check.name(), new CheckResult(check.name(), true, check.body().run(context)));
        } catch (CheckFailure e) {
          byName.put(check.name(), new CheckResult(check.name(), false, e.getMessage()));
        }
      }
    } finally {
      server.shutdownNow();
    }
    return byName;
  }

  @Test
  void unreachableServerIsOneFailedConnectCheck() {
    List<CheckResult> results =
        new ConformanceSuite(
                "127.0.0.1:1",
                "hopper",
                ClientOptions.defaults().withCallDeadline(Duration.ofSeconds(5)))
            .run();
    assertEquals(1, results.size());
    assertFalse(results.get(0).passed());
    assertTrue(results.get(0).detail().contains("UNAVAILABLE"), results.get(0).detail());
  }
}
