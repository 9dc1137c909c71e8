package io.dtql.envbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.EnvStatus;
import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.TaskSpec;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.conformance.CheckResult;
import io.dtql.envbridge.conformance.ConformanceSuite;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Against the real Python server (needs python-env-server/.venv from scripts/setup.sh). */
@Tag("e2e")
class RealServerE2ETest {

  private static LocalEnvServer startServer() {
    // A small session limit keeps the conformance suite's "too many sessions" check quick, and a
    // 4 MiB message limit keeps its oversize message small.
    return LocalEnvServer.start(
        LaunchOptions.defaults()
            .withServerArgs("--max-sessions", "6", "--max-message-bytes", "4194304"));
  }

  @Test
  void realServerPassesTheWholeConformanceSuite() {
    try (LocalEnvServer server = startServer()) {
      List<CheckResult> results =
          new ConformanceSuite(server.address(), "hopper", ClientOptions.defaults()).run();
      String failures =
          results.stream()
              .filter(r -> !r.passed())
              .map(CheckResult::line)
              .collect(Collectors.joining("\n"));
      assertTrue(failures.isEmpty(), "conformance failures:\n" + failures);
      assertEquals(ConformanceSuite.allChecks().size(), results.size());
      // The real server offers StepStream, so that check must have compared, not passed as absent.
      CheckResult stream =
          results.stream().filter(r -> r.name().startsWith("StepStream")).findFirst().orElseThrow();
      assertTrue(stream.detail().contains("bit-identical"), stream.line());
    }
  }

  @Test
  void hopperWithFourEnvsResetsAndSteps() {
    try (LocalEnvServer server = startServer();
        EnvClient client = server.connect(ClientOptions.defaults());
        VectorEnv env = client.createSession("hopper", SessionOptions.of(4, 42))) {
      TaskSpec spec = env.spec();
      assertEquals(11, spec.obsDim());
      assertEquals(3, spec.actDim());
      assertArrayEquals(new long[] {42, 43, 44, 45}, env.envSeeds());
      ResetResult reset = env.reset();
      assertArrayEquals(new int[] {0, 1, 2, 3}, reset.envIds());
      assertEquals(4 * 11, reset.observations().length);
      assertAllFinite(reset.observations());

      Random random = new Random(0);
      int[] expectedSteps = new int[4];
      boolean[] ended = new boolean[4];
      for (int t = 0; t < 100; t++) {
        float[] actions = new float[4 * 3];
        for (int i = 0; i < actions.length; i++) {
          actions[i] = random.nextFloat() * 2 - 1;
        }
        StepResult r = env.step(actions);
        assertEquals(4 * 11, r.observations().length);
        assertAllFinite(r.observations());
        assertAllFinite(r.rewards());
        for (int i = 0; i < 4; i++) {
          assertEquals(ended[i], r.resetHappened()[i], "reset_happened, step " + t + " env " + i);
          expectedSteps[i] = ended[i] ? 0 : expectedSteps[i] + 1;
          assertEquals(expectedSteps[i], r.episodeSteps()[i], "episode_steps, step " + t);
          assertEquals(EnvStatus.OK, r.status()[i]);
          ended[i] = r.episodeEnded(i);
        }
      }
    }
  }

  /**
   * Gymnasium's Hopper-v4 observes concat(qpos[1:], clip(qvel, -10, 10)) (hopper_v4.py, _get_obs),
   * so every row's infos must rebuild its observation exactly, auto-resets included.
   */
  @Test
  void hopperReportsTheQposAndQvelItsObservationsAreMadeOf() {
    int n = 2;
    try (LocalEnvServer server = startServer();
        EnvClient client = server.connect(ClientOptions.defaults());
        VectorEnv env =
            client.createSession("hopper", SessionOptions.of(n, 7).withInfoKeys("qpos", "qvel"))) {
      assertEquals(6, env.spec().info("qpos").orElseThrow().width());
      assertEquals(6, env.spec().info("qvel").orElseThrow().width());
      assertEquals(List.of("qpos", "qvel"), env.infoKeys());
      ResetResult reset = env.reset();
      assertEquals(n * 6, reset.infos().get("qpos").length);
      assertEquals(n * 6, reset.infos().get("qvel").length);
      for (int i = 0; i < n; i++) {
        assertHopperObservation(reset.observation(i), reset.info("qpos", i), reset.info("qvel", i));
      }
      Random random = new Random(1);
      int autoResets = 0;
      for (int t = 0; t < 300 && autoResets == 0; t++) {
        float[] actions = new float[n * 3];
        for (int i = 0; i < actions.length; i++) {
          actions[i] = random.nextBoolean() ? 1f : -1f;
        }
        StepResult r = env.step(actions);
        assertEquals(6, r.infoWidth("qpos"));
        assertEquals(6, r.infoWidth("qvel"));
        for (int i = 0; i < n; i++) {
          assertHopperObservation(r.observation(i), r.info("qpos", i), r.info("qvel", i));
          autoResets += r.resetHappened()[i] ? 1 : 0;
        }
      }
      assertTrue(autoResets > 0, "no auto-reset within 300 steps of extreme actions");
    }
  }

  private static void assertHopperObservation(double[] obs, double[] qpos, double[] qvel) {
    double[] expected = new double[11];
    System.arraycopy(qpos, 1, expected, 0, 5);
    for (int j = 0; j < 6; j++) {
      expected[5 + j] = Math.max(-10, Math.min(10, qvel[j]));
    }
    assertArrayEquals(expected, obs);
  }

  @Test
  void killingTheServerMidSessionReportsItsExitCodeAndStderr() {
    try (LocalEnvServer server = startServer();
        EnvClient client = server.connect(ClientOptions.defaults());
        VectorEnv env = client.createSession("hopper", SessionOptions.of(2, 0))) {
      env.reset();
      ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly();
      var error = assertThrows(EnvUnavailableException.class, () -> env.step(new float[6]));
      assertTrue(error.getMessage().contains("exited with code 137"), error.getMessage());
      assertTrue(error.getMessage().contains("stderr tail"), error.getMessage());
      assertFalse(server.stderrTail().equals("(no output)"), "the server logs to stderr");
      assertTrue(error.getMessage().contains(server.stderrTail()), error.getMessage());
    }
  }

  private static void assertAllFinite(double[] values) {
    for (int i = 0; i < values.length; i++) {
      assertTrue(Double.isFinite(values[i]), "value " + i + " is " + values[i]);
    }
  }
}
