package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtql.envbridge.ResetResult;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.launcher.LaunchOptions;
import io.dtql.evaluator.simulator.LocalSimulator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The walking controller is trained on the server's ant-goal observation and driven in the mazes by
 * {@link MazeNavigator#controllerInput}: both must be the same 29 numbers for the same ant state
 * and goal. Checked against the real server: the navigator's input, built from the ant's qpos, qvel
 * and goal as a maze observation would carry them, equals the ant-goal observation.
 */
@Tag("e2e")
class ControllerInputE2ETest {
  @Test
  void theNavigatorsInputIsTheObservationTheControllerWasTrainedOn() {
    try (LocalSimulator sim = LocalSimulator.start("local", LaunchOptions.defaults());
        VectorEnv env =
            sim.client()
                .createSession(
                    "ant-goal", SessionOptions.of(2, 7).withInfoKeys("qpos", "qvel", "goal"))) {
      ResetResult reset = env.reset();
      for (int row = 0; row < 2; row++) {
        check(
            reset.observation(row),
            reset.info("qpos", row),
            reset.info("qvel", row),
            reset.info("goal", row));
      }
      SplittableRandom rng = new SplittableRandom(3);
      for (int t = 0; t < 40; t++) {
        float[] actions = new float[16];
        for (int i = 0; i < actions.length; i++) {
          actions[i] = (float) rng.nextDouble(-1, 1);
        }
        StepResult step = env.step(actions);
        for (int row = 0; row < 2; row++) {
          check(
              step.observation(row),
              step.info("qpos", row),
              step.info("qvel", row),
              step.info("goal", row));
        }
      }
    }
  }

  private static void check(double[] observed, double[] qpos, double[] qvel, double[] goal) {
    double[] maze = new double[29];
    System.arraycopy(qpos, 0, maze, 0, 15);
    System.arraycopy(qvel, 0, maze, 15, 14);
    double[] input = new double[29];
    MazeNavigator.controllerInput(maze, 0, goal, input, 0);
    for (int i = 0; i < 27; i++) {
      assertEquals(observed[i], input[i], "state value " + i); // copied: exact
    }
    // The heading-frame goal: Python's libm and Java's StrictMath may differ in the last bit.
    assertEquals(observed[27], input[27], 1e-12);
    assertEquals(observed[28], input[28], 1e-12);
  }
}
