package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WaypointFollowerTest {
  private static final MazeMap UMAZE = MazeFixtures.maze(MazeFixtures.UMAZE);
  private static final double[] GOAL = {0.7, 8.4}; // in the goal cell (3, 1)

  private static WaypointFollower follower(long seed) {
    return new WaypointFollower(new WaypointPlanner(UMAZE), new SplittableRandom(seed));
  }

  /**
   * True if p lies in the +x, +y quarter of the cell centred at (cx, cy), noise bounds included.
   */
  private static boolean inQuarter(double[] p, double cx, double cy) {
    return p[0] >= cx && p[0] < cx + 1 && p[1] >= cy && p[1] < cy + 1;
  }

  @Test
  void theAntHeadsForAPointOfItsOwnCellUntilItPassesItThenForTheNextCells() {
    WaypointFollower f = follower(1);
    double[] own = f.waypoint(-0.8, 0.4, GOAL); // start cell (1, 1), centre (0, 0)
    assertTrue(inQuarter(own, 0, 0), Arrays.toString(own));
    // Until the ant passes within 0.5 m, the point stays put (drawn once, not every step).
    assertArrayEquals(own, f.waypoint(-0.5, 0.2, GOAL));
    assertEquals(0, f.passed());
    double[] next = f.waypoint(own[0] + 0.3, own[1] - 0.3, GOAL);
    assertEquals(1, f.passed());
    assertTrue(inQuarter(next, 4, 0), "east to (1, 2): " + Arrays.toString(next));
    // Entering (1, 2) does not move the point: the ant goes on to it, then to (1, 3).
    assertArrayEquals(next, f.waypoint(2.5, 0.1, GOAL));
    double[] after = f.waypoint(next[0], next[1], GOAL);
    assertTrue(inQuarter(after, 8, 0), Arrays.toString(after));
    assertEquals(2, f.passed());
  }

  @Test
  void theGoalItselfOnceTheNextCellIsTheGoalsOrTheAntIsInIt() {
    WaypointFollower f = follower(2);
    double[] own = f.waypoint(4.2, 8.1, GOAL); // (3, 2), next to the goal's cell
    assertTrue(inQuarter(own, 4, 8), Arrays.toString(own));
    assertArrayEquals(GOAL, f.waypoint(own[0], own[1], GOAL));
    assertArrayEquals(GOAL, f.waypoint(1.5, 8.0, GOAL)); // inside the goal's cell
  }

  @Test
  void anAntCarriedPastItsPointFirstHeadsForAPointOfTheCellItIsIn() {
    WaypointFollower f = follower(3);
    double[] own = f.waypoint(0.1, 0.1, GOAL);
    double[] east = f.waypoint(own[0], own[1], GOAL); // passed: sent to (1, 2)
    assertTrue(inQuarter(east, 4, 0));
    // Knocked back into the start cell: (1, 2) is still the next cell, so keep heading there.
    assertArrayEquals(east, f.waypoint(-1.0, -1.0, GOAL));
    // Carried on into (1, 3) without passing (1, 2)'s point: a point of (1, 3), not back.
    double[] there = f.waypoint(8.3, -0.2, GOAL);
    assertTrue(inQuarter(there, 8, 0), Arrays.toString(there));
    assertEquals(1, f.passed());
  }

  @Test
  void theSameSeedGivesTheSamePoints() {
    assertArrayEquals(follower(7).waypoint(0, 0, GOAL), follower(7).waypoint(0, 0, GOAL));
    assertTrue(!Arrays.equals(follower(7).waypoint(0, 0, GOAL), follower(8).waypoint(0, 0, GOAL)));
  }
}
