package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.dtql.TensorData;
import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MazeNavigatorTest {
  private static final MazeMap UMAZE = MazeFixtures.maze(MazeFixtures.UMAZE);

  /** A one-layer actor whose mean and log-std are linear in the input (seeded weights). */
  private static BehaviourPolicy controller(int inputs) {
    SplittableRandom r = new SplittableRandom(5);
    float[] w = new float[16 * inputs];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextDouble(-0.1, 0.1);
    }
    return new BehaviourPolicy(
        Map.of(
            "actor/0/weight", new TensorData(new long[] {16, inputs}, w),
            "actor/0/bias", new TensorData(new long[] {16}, new float[16])),
        inputs,
        8,
        1f);
  }

  /** An antmaze observation of an upright ant at (x, y) with heading yaw. */
  private static double[] observation(double x, double y, double yaw) {
    double[] obs = new double[29];
    obs[0] = x;
    obs[1] = y;
    obs[2] = 0.6;
    obs[3] = Math.cos(yaw / 2);
    obs[6] = Math.sin(yaw / 2);
    for (int i = 7; i < 29; i++) {
      obs[i] = 0.01 * i;
    }
    return obs;
  }

  @Test
  void theControllerSeesTheAntsStateWithoutXyAndTheWaypointInItsHeadingFrame() {
    double[] obs = observation(1.0, 2.0, Math.PI / 2); // facing +y
    double[] input = new double[29];
    MazeNavigator.controllerInput(obs, 0, new double[] {1.0, 5.0}, input, 0);
    assertArrayEquals(Arrays.copyOfRange(obs, 2, 29), Arrays.copyOfRange(input, 0, 27));
    assertArrayEquals(new double[] {3.0, 0.0}, Arrays.copyOfRange(input, 27, 29), 1e-12);
  }

  @Test
  void commandGoalsLieNearTheGivenCellsAndAReachedGoalIsReplaced() {
    List<Cell> cells = List.of(new Cell(3, 1), new Cell(3, 3));
    MazeNavigator nav = new MazeNavigator(controller(29), UMAZE, cells, 1000, 1, 9, "test");
    double[] logProbs = new double[1];
    nav.act(observation(0, 0, 0), new int[] {0}, logProbs);
    assertEquals(0, nav.goalsReached());
    // Walk the ant onto every goal it is given: each one is in a goal cell's square, and is
    // replaced as soon as the ant stands on it.
    for (int k = 0; k < 20; k++) {
      double[] goal = goalOf(nav);
      Cell cell = UMAZE.cellAt(goal[0], goal[1]);
      assertTrue(cells.contains(cell), "goal " + Arrays.toString(goal) + " in " + cell);
      double[] centre = UMAZE.centre(cell);
      for (int c = 0; c < 2; c++) { // D4RL's goal sampler: + U(0, 1) + U(0, 0.5)
        assertTrue(goal[c] >= centre[c] && goal[c] < centre[c] + 1.5, Arrays.toString(goal));
      }
      nav.act(observation(goal[0], goal[1], 0), new int[] {0}, logProbs);
      assertEquals(k + 1, nav.goalsReached());
      assertTrue(Double.isFinite(logProbs[0]));
    }
  }

  @Test
  void waypointsPassedAreCountedOverAllEnvironments() {
    // One goal, in umaze's goal cell. Each ant sweeps the start cell's +x, +y quarter, where its
    // first point lies, and so passes within 0.5 m of it.
    MazeNavigator nav =
        new MazeNavigator(controller(29), UMAZE, List.of(new Cell(3, 1)), 1000, 2, 3, "test");
    double[] lp = new double[1];
    nav.act(observation(-1.0, -1.0, 0), new int[] {0}, lp);
    nav.act(observation(-1.0, -1.0, 0), new int[] {1}, lp);
    assertEquals(0, nav.waypointsPassed());
    for (int env = 0; env < 2; env++) {
      for (double x = 0; x <= 1; x += 0.25) {
        for (double y = 0; y <= 1; y += 0.25) {
          nav.act(observation(x, y, 0), new int[] {env}, lp);
        }
      }
    }
    assertTrue(nav.waypointsPassed() >= 2, "passed " + nav.waypointsPassed());
  }

  @Test
  void aGoalNotReachedInTimeIsAbandonedForANewOne() {
    MazeNavigator nav =
        new MazeNavigator(controller(29), UMAZE, List.of(new Cell(3, 1)), 5, 1, 9, "test");
    double[] lp = new double[1];
    for (int k = 0; k < 6; k++) {
      nav.act(observation(0, 0, 0), new int[] {0}, lp);
    }
    assertEquals(1, nav.goalsAbandoned());
    assertEquals(0, nav.goalsReached());
  }

  @Test
  void eachEnvironmentsActionsAreTheSameWhicheverEnvironmentsAreSteppedWithIt() {
    double[] a = observation(0.3, 0.1, 0.2);
    double[] b = observation(8.2, 4.1, -1.0);
    double[] both = new double[58];
    System.arraycopy(a, 0, both, 0, 29);
    System.arraycopy(b, 0, both, 29, 29);
    List<Cell> cells = UMAZE.freeCells();
    MazeNavigator together = new MazeNavigator(controller(29), UMAZE, cells, 100, 2, 4, "t");
    MazeNavigator apart = new MazeNavigator(controller(29), UMAZE, cells, 100, 2, 4, "t");
    for (int k = 0; k < 3; k++) {
      float[] joint = together.act(both, new int[] {0, 1}, new double[2]);
      float[] second = apart.act(b, new int[] {1}, new double[1]);
      float[] first = apart.act(a, new int[] {0}, new double[1]);
      assertArrayEquals(first, Arrays.copyOfRange(joint, 0, 8));
      assertArrayEquals(second, Arrays.copyOfRange(joint, 8, 16));
    }
  }

  @Test
  void aControllerOfTheWrongShapeOrGoalsInWallsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MazeNavigator(controller(31), UMAZE, UMAZE.freeCells(), 10, 1, 0, "t"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MazeNavigator(controller(29), UMAZE, List.of(new Cell(2, 1)), 10, 1, 0, "t"));
  }

  private static double[] goalOf(MazeNavigator nav) {
    return nav.currentGoal(0);
  }
}
