package io.dtql.envbridge.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.FakeEnvService;
import io.dtql.envbridge.grpc.TestServers;
import io.grpc.Server;
import java.time.Duration;
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
